import type { ScopeTarget, StateContext } from "../state-context.js";
import { visibleScopes } from "../state-context.js";
import type { StateDraft } from "../state-draft.js";
import { buildInstalledGraph, type InstalledGraph } from "./installed-graph.js";

/** The installed graph over a draft's current (possibly edited) state. */
export async function graphOf(draft: StateDraft, ctx: StateContext): Promise<{ graph: InstalledGraph; scopes: ScopeTarget[] }> {
  const scopes = visibleScopes(ctx);
  const graph = await buildInstalledGraph({
    plugins: draft.installed.plugins,
    scopes: await Promise.all(scopes.map(async (target) => ({ target, settings: await draft.settings(target.settingsFile) }))),
    managed: draft.managed,
  });
  return { graph, scopes };
}
