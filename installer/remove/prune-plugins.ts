import type { EditableScope } from "../../schemas/settings.js";
import { sweepStaging } from "../cache/cache-store.js";
import { graphOf } from "../query/load-installed-graph.js";
import { scopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";
import { collectUnreferenced, dropFromScope } from "./drop-plugins.js";
import { findOrphans } from "./find-orphans.js";

export interface PruneResult {
  scope: EditableScope;
  orphans: { id: string; version: string }[];
  removed: string[];
  /** nothing removed because neither --yes nor a TTY confirmed it */
  needsConfirmation: boolean;
  dryRun: boolean;
  removedCacheDirs: string[];
}

/**
 * `agent plugin prune`: removes auto-installed plugins that no enabled plugin reaches through merged
 * dependencies (a dependency declared only in a marketplace entry still counts), then cache versions
 * nothing references.
 */
export async function prunePlugins(ctx: StateContext, options: { scope: EditableScope; dryRun: boolean; confirm: (ids: string[]) => Promise<boolean> }): Promise<PruneResult> {
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const target = scopeTarget(ctx, options.scope);
    const { graph } = await graphOf(draft, ctx);
    const ids = findOrphans(draft, graph, target);
    const orphans = ids.map((id) => ({ id, version: draft.recordAt(id, target)!.version }));
    const base = { scope: options.scope, orphans, dryRun: options.dryRun, removedCacheDirs: [] as string[] };
    if (ids.length === 0 || options.dryRun) return { ...base, removed: [], needsConfirmation: false };
    if (!(await options.confirm(ids))) return { ...base, removed: [], needsConfirmation: true };
    const cleanup = await dropFromScope(draft, target, ids, false);
    await draft.commit();
    await cleanup();
    const removedCacheDirs = await collectUnreferenced(draft);
    await sweepStaging(ctx.paths.cacheDir);
    return { ...base, removed: ids, needsConfirmation: false, removedCacheDirs };
  });
}
