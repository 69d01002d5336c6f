import { reachableFrom, type InstalledGraph } from "../query/installed-graph.js";
import type { ScopeTarget } from "../state-context.js";
import type { StateDraft } from "../state-draft.js";

/**
 * Auto-installed plugins at a scope that no enabled, user-installed plugin reaches through its (merged)
 * dependencies. Unlike Claude Code, a dependency declared only in a marketplace entry still counts.
 */
export function findOrphans(draft: StateDraft, graph: InstalledGraph, target: ScopeTarget): string[] {
  const roots = graph.ids().filter((id) => graph.enabled(id) && !graph.visible(id)?.auto);
  const needed = reachableFrom(graph, roots);
  return Object.keys(draft.installed.plugins)
    .filter((id) => draft.recordAt(id, target)?.auto && !needed.has(id))
    .sort();
}
