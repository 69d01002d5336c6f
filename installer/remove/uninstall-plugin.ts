import { AgentError } from "../../schemas/errors.js";
import type { EditableScope } from "../../schemas/settings.js";
import { sweepStaging } from "../cache/cache-store.js";
import { graphOf } from "../query/load-installed-graph.js";
import { scopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";
import { collectUnreferenced, dropFromScope } from "./drop-plugins.js";
import { findOrphans } from "./find-orphans.js";

export interface UninstallResult {
  id: string;
  scope: EditableScope;
  /** enabled plugins that still list it as a dependency (allowed, with a warning) */
  requiredBy: string[];
  /** auto-installed dependencies nothing needs any more */
  orphans: string[];
  /** orphans removed too (--prune) */
  pruned: string[];
  keptData: boolean;
  removedCacheDirs: string[];
}

/**
 * `agent plugin uninstall <id>`: drops the record at one scope, its enabledPlugins key, its lockfile entry,
 * and (unless keepData) its options, secrets and data dir; with prune also the dependencies nothing needs.
 * Cache versions no record references are deleted.
 */
export async function uninstallPlugin(ctx: StateContext, options: { id: string; scope: EditableScope | undefined; keepData: boolean; prune: boolean }): Promise<UninstallResult> {
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const id = resolveInstalledId(draft, options.id);
    const scope = options.scope ?? autoScope(draft, ctx, id);
    const target = scopeTarget(ctx, scope);
    if (!draft.recordAt(id, target)) {
      const elsewhere = draft.records(id).map((r) => r.scope);
      throw new AgentError("E_NOT_INSTALLED", `Plugin "${id}" is not installed at ${scope} scope${elsewhere.length ? ` (it is at: ${[...new Set(elsewhere)].join(", ")})` : ""}`, {
        hint: elsewhere.length ? `agent plugin uninstall ${id} --scope ${elsewhere[0]}` : "Run `agent plugin list` to see installed plugins.",
        details: { id, scope, installedAt: elsewhere },
      });
    }
    const before = await graphOf(draft, ctx);
    const requiredBy = before.graph.dependents(id).filter((d) => d !== id && before.graph.enabled(d));
    const cleanup = await dropFromScope(draft, target, [id], options.keepData);
    const after = await graphOf(draft, ctx);
    const orphans = findOrphans(draft, after.graph, target);
    const pruneCleanup = options.prune && orphans.length ? await dropFromScope(draft, target, orphans, options.keepData) : undefined;
    await draft.commit();
    await cleanup();
    await pruneCleanup?.();
    const removedCacheDirs = await collectUnreferenced(draft);
    await sweepStaging(ctx.paths.cacheDir);
    return { id, scope, requiredBy, orphans, pruned: pruneCleanup ? orphans : [], keptData: options.keepData, removedCacheDirs };
  });
}

/** `name` or `name@market` → the installed id (E_AMBIGUOUS when two marketplaces' `name` are installed). */
export function resolveInstalledId(draft: StateDraft, spec: string): string {
  if (spec.includes("@")) {
    if (!draft.records(spec).length) throw notInstalled(spec);
    return spec;
  }
  const matches = Object.keys(draft.installed.plugins).filter((id) => id.slice(0, id.lastIndexOf("@")) === spec);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new AgentError("E_AMBIGUOUS", `"${spec}" is installed from ${matches.length} marketplaces: ${matches.join(", ")}`, { hint: `Name one: ${matches[0]}`, details: { candidates: matches } });
  throw notInstalled(spec);
}

function notInstalled(spec: string): AgentError {
  return new AgentError("E_NOT_INSTALLED", `Plugin "${spec}" not found in installed plugins`, { hint: "Run `agent plugin list` to see installed plugins.", details: { spec } });
}

/** Without --scope: the most specific scope where it is installed for this directory. */
export function autoScope(draft: StateDraft, ctx: StateContext, id: string): EditableScope {
  for (const scope of ["local", "project", "user"] as const) if (draft.recordAt(id, scopeTarget(ctx, scope))) return scope;
  return "user";
}
