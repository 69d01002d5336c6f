import { isDirectory } from "../../registry/files/sync-fs.js";
import type { DirectSource } from "../../schemas/installed-plugins.js";
import { parsePluginId } from "../../schemas/names.js";
import { builtinMarketplaceName, builtinMarketplaceSource } from "../catalog/builtin-marketplace.js";
import { marketplaceBlockReason } from "../policy/marketplace-policy.js";
import type { StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { settleState } from "../state-transaction.js";
import type { InstalledGraph } from "./installed-graph.js";
import { graphOf } from "./load-installed-graph.js";

export interface PluginError {
  code: "dependency-unsatisfied" | "policy-blocked" | "cache-miss";
  message: string;
}

/** One element of `list --json` (Claude Code's shape, reference §12, with errors as {code, message}). */
export interface ListedPlugin {
  id: string;
  version: string;
  scope: string;
  enabled: boolean;
  installPath: string;
  installedAt?: string;
  lastUpdated?: string;
  projectPath?: string;
  gitCommitSha?: string;
  /** where a direct install came from (a directory, owner/repo[:path] or git URL) */
  directSource?: DirectSource;
  auto?: true;
  errors: PluginError[];
}

export interface AvailablePlugin {
  pluginId: string;
  name: string;
  description?: string;
  marketplaceName: string;
  source: unknown;
}

/** Every install record (one element per scope record, sorted by id), and optionally what else could be installed. */
export async function listPlugins(ctx: StateContext, options: { available: boolean }): Promise<{ installed: ListedPlugin[]; available?: AvailablePlugin[] }> {
  await settleState(ctx.paths);
  const draft = await StateDraft.load(ctx);
  const { graph } = await graphOf(draft, ctx);
  const installed: ListedPlugin[] = [];
  for (const id of Object.keys(draft.installed.plugins).sort()) {
    for (const record of draft.installed.plugins[id]!) {
      const isVisible = graph.visible(id) === record;
      installed.push({
        id,
        version: record.version,
        scope: record.scope,
        enabled: isVisible && graph.enabled(id),
        installPath: record.installPath,
        ...(record.installedAt ? { installedAt: record.installedAt } : {}),
        ...(record.lastUpdated ? { lastUpdated: record.lastUpdated } : {}),
        ...(record.projectPath ? { projectPath: record.projectPath } : {}),
        ...(record.gitCommitSha ? { gitCommitSha: record.gitCommitSha } : {}),
        ...(record.directSource ? { directSource: record.directSource } : {}),
        ...(record.auto ? { auto: true as const } : {}),
        errors: isVisible ? await loadErrors(ctx, draft, graph, id, record.installPath) : [],
      });
    }
  }
  if (!options.available) return { installed };
  const { loadCatalog } = await import("../catalog/load-catalog.js");
  const catalog = await loadCatalog(draft.known, ctx.packageRoot);
  const available = catalog
    .all()
    .filter((p) => !draft.installed.plugins[p.id])
    .map((p) => ({
      pluginId: p.id,
      name: p.name,
      ...((p.entry as { description?: string }).description ? { description: (p.entry as { description?: string }).description } : {}),
      marketplaceName: p.marketplace.name,
      source: p.entry.source,
    }));
  return { installed, available };
}

async function loadErrors(ctx: StateContext, draft: StateDraft, graph: InstalledGraph, id: string, installPath: string): Promise<PluginError[]> {
  const errors: PluginError[] = [];
  // a synchronous stat: through the thread pool it would start the pool's threads for it (~2 ms)
  if (!isDirectory(installPath)) {
    errors.push({ code: "cache-miss", message: `Cache directory ${installPath} is missing — run \`agent plugin install ${id}\` to restore it` });
  }
  if (draft.managed.enabledPlugins?.[id] === false) errors.push({ code: "policy-blocked", message: `Plugin "${id}" is blocked by your organization's policy` });
  const market = parsePluginId(id)?.marketplace ?? "";
  const source = draft.known[market]?.source ?? (market === builtinMarketplaceName ? builtinMarketplaceSource(ctx.packageRoot) : undefined);
  const blocked = source && marketplaceBlockReason(source, draft.managed);
  if (blocked) errors.push({ code: "policy-blocked", message: blocked });
  for (const dep of graph.dependencies(id)) {
    if (!graph.visible(dep)) errors.push({ code: "dependency-unsatisfied", message: `Dependency "${dep}" is not installed — run \`agent plugin install ${dep}\`` });
    else if (!graph.enabled(dep)) errors.push({ code: "dependency-unsatisfied", message: `Dependency "${dep}" is disabled — run \`agent plugin enable ${dep}\`` });
  }
  return errors;
}
