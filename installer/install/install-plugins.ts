import { statSync } from "node:fs";
import { rm } from "../../registry/files/async-fs.js";
import { AgentError } from "../../schemas/errors.js";
import type { InstallRecord } from "../../schemas/installed-plugins.js";
import type { EditableScope } from "../../schemas/settings.js";
import { findPlugin } from "../catalog/find-plugin.js";
import { loadCatalog } from "../catalog/load-catalog.js";
import type { CatalogMarketplace, CatalogPlugin } from "../catalog/catalog-types.js";
import { checkStagedIntegrity, overlayCatalog } from "../bundle/overlay-catalog.js";
import { withDirectPlugins } from "../bundle/direct-catalog.js";
import type { Prompter } from "../config/prompter.js";
import type { LockedPlugin, Lockfile } from "../../schemas/lockfile.js";
import { lockfileDifferences, readLockfile } from "../lockfile/scope-lockfile.js";
import { admitPlugin } from "../policy/admit-plugin.js";
import { resolvePlan, type PlannedPlugin } from "../resolve-plan.js";
import { scopeTarget, type ScopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";
import { applyInstall, type InstalledReport } from "./apply-install.js";
import { cacheStaged, stagePlugin, type CachedPlugin, type StagedForCache } from "./cache-plugin.js";
import { localPluginDir, resolvedSource, type SourceAccess } from "./fetch-plugin.js";
import { sweepStaging } from "../cache/cache-store.js";
import { definePlugin, readManifestIn } from "./plugin-definition.js";
import { skippedLinksNote } from "../../registry/files/copy-plugin-tree.js";
import { remoteManifests, type RemoteManifests } from "./remote-manifests.js";
import { collectConfig } from "./collect-config.js";
import { confirmPermissions, describePermissions, isWidened } from "./review-permissions.js";

export interface InstallOptions {
  specs: string[];
  scope: EditableScope;
  /** raw --config key=value pairs */
  config: Record<string, string>;
  frozen: boolean;
  dryRun: boolean;
  yes: boolean;
  /** set on a TTY: asks for permissions and unset userConfig */
  prompt: Prompter | undefined;
  log(line: string): void;
  /** fetch progress, for a TTY progress line (the CLI passes it only on a TTY without --json) */
  progress?: (event: FetchProgress) => void;
  /** re-fetch the named (installed) plugins and move them forward when their content changed */
  update?: boolean;
  /** marketplaces that stand in for known ones of the same name (an offline bundle's) */
  catalogOverlay?: CatalogMarketplace[];
  /** plugins named by a directory, owner/repo[:path] or git URL, each in its own one-plugin marketplace */
  directPlugins?: CatalogPlugin[];
  /** tree integrity each fetched plugin must have (an offline bundle's record) */
  expectedIntegrity?: Record<string, string>;
}

export interface FetchProgress {
  id: string;
  phase: "fetching" | "fetched";
  /** plugins fetched so far, of `total` */
  done: number;
  total: number;
}

/** What `update` found for one plugin. */
export interface UpdateReport {
  id: string;
  from: string;
  to: string;
  /** human-readable differences; empty = already up to date */
  changes: string[];
}

export interface InstallResult {
  scope: EditableScope;
  projectPath?: string;
  dryRun: boolean;
  requested: string[];
  /** every plugin of the plan, dependencies first */
  plugins: InstalledReport[];
  /** ids newly installed as dependencies */
  dependencies: string[];
  alreadyInstalled: string[];
  warnings: string[];
  updates: UpdateReport[];
  removedCacheDirs: string[];
}

/**
 * `agent plugin install`: resolve the whole plan, run every policy check, fetch everything into staging,
 * move it into the cache, then commit installed_plugins.json, settings and the lockfile in one step —
 * all under the state lock. Any failure before the commit leaves the state exactly as it was.
 */
export async function installPlugins(ctx: StateContext, options: InstallOptions): Promise<InstallResult> {
  const target = scopeTarget(ctx, options.scope);
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const catalog = withDirectPlugins(overlayCatalog(await loadCatalog(draft.known, ctx.packageRoot), options.catalogOverlay), draft.installed, options.directPlugins ?? []);
    const locked = options.frozen ? await readLockfile(target.lockfile) : undefined;
    const specs = options.specs.length ? options.specs : Object.entries(locked?.plugins ?? {}).filter(([, p]) => !p.auto).map(([id]) => id);
    if (specs.length === 0) {
      throw new AgentError("E_USAGE", options.frozen ? `The lockfile ${target.lockfile} lists no plugins to install` : "Name at least one plugin to install", { hint: "agent plugin install <name>@<marketplace>" });
    }
    if (Object.keys(options.config).length && specs.length > 1) {
      throw new AgentError("E_USAGE", "--config applies to one plugin; install the others separately", { details: { specs } });
    }
    const roots = specs.map((s) => findPlugin(catalog, s));
    if (options.update) for (const r of roots) if (!draft.recordAt(r.id, target)) throw notInstalledAt(r.id, target);
    const installedVersion = (id: string) => visibleRecord(draft, id, target)?.version;
    const access = { env: ctx.env, log: options.log, policy: draft.managed, home: ctx.paths.home, npmCacheDir: ctx.paths.npmCacheDir };
    const remote = remoteManifests(ctx.paths.cacheDir, access);
    const plan = await resolvePlan({
      roots,
      catalog,
      admit: (plugin, requiredBy) => admitPlugin(draft.managed, plugin, requiredBy),
      define: async (plugin) => {
        const dir = localPluginDir(plugin);
        if (dir) return definePlugin(plugin.entry, await readManifestIn(dir));
        const refetch = options.update && roots.some((r) => r.id === plugin.id);
        return definePlugin(plugin.entry, await remote.manifest(plugin, refetch ? undefined : visibleRecord(draft, plugin.id, target)?.installPath));
      },
      installedVersion,
    });
    const fetchFlags = await Promise.all(plan.order.map((n) => needsFetch(draft, n, target)));
    const toFetch = plan.order.filter((n, i) => fetchFlags[i] || (options.update && n.root));
    const config = await collectConfig(ctx, draft, plan.order.filter((n) => n.root), options, target);
    const widened = toFetch.filter((n) => isWidened(draft.recordAt(n.id, target)?.permissions as never, n.definition.permissions));
    // Plugins shipped inside agent itself are part of the tool the user installed: shown, not asked.
    for (const n of widened.filter((w) => w.plugin.marketplace.builtin)) options.log(`${n.id} (shipped with agent) may use: ${describePermissions(n.definition.permissions).join("; ")}`);
    await confirmPermissions(
      widened.filter((n) => !n.plugin.marketplace.builtin).map((n) => ({ id: n.id, permissions: n.definition.permissions! })),
      { yes: options.yes || options.dryRun, prompt: options.prompt, log: options.log },
    );
    const staged = new Map<string, StagedForCache>();
    const cached = new Map<string, CachedPlugin>();
    const updates: UpdateReport[] = [];
    try {
      await stageAll(toFetch, staged, ctx.paths.cacheDir, access, remote, options.progress);
      checkStagedIntegrity(staged, options.expectedIntegrity);
      if (options.update) updates.push(...(await dropUnchanged(draft, target, plan.order, staged)));
      if (locked) checkFrozen(locked, plan.order, staged, draft, target, options.specs.length === 0);
      if (options.dryRun) return { ...report(target, options, plan.order, draft, staged, config.warnings, true), updates, removedCacheDirs: [] };
      await settleAll(toFetch.filter((n) => staged.has(n.id)).map(async (node) => cached.set(node.id, await cacheStaged(node.plugin, staged.get(node.id)!, ctx.paths.cacheDir))));
    } finally {
      for (const [id, s] of staged) if (!cached.has(id)) await rm(s.dir, { recursive: true, force: true });
    }
    const plugins = await applyInstall(draft, target, plan.order, cached, config.values, { update: Boolean(options.update) });
    await config.storeSecrets();
    await draft.commit();
    const removedCacheDirs = options.update ? await (await import("../remove/drop-plugins.js")).collectUnreferenced(draft) : [];
    if (options.update) await sweepStaging(ctx.paths.cacheDir);
    return { ...report(target, options, plan.order, draft, staged, config.warnings, false), plugins, updates, removedCacheDirs };
  });
}

/** Fetches every plugin of the plan into staging concurrently; every staged dir lands in `staged`, even when one fails. */
async function stageAll(nodes: PlannedPlugin[], staged: Map<string, StagedForCache>, cacheDir: string, access: SourceAccess, remote: RemoteManifests, progress: InstallOptions["progress"]): Promise<void> {
  let done = 0;
  await settleAll(
    nodes.map(async (node) => {
      progress?.({ id: node.id, phase: "fetching", done, total: nodes.length });
      staged.set(node.id, await stagePlugin(node.plugin, node.definition, cacheDir, access, remote.fetched(node.id)));
      progress?.({ id: node.id, phase: "fetched", done: ++done, total: nodes.length });
    }),
  );
}

/** Like Promise.all, but rejects only after every task has finished, so cleanup never races a running one. */
async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** The record that makes `id` count as installed from the target scope: same scope, or user scope. */
export function visibleRecord(draft: StateDraft, id: string, target: ScopeTarget): InstallRecord | undefined {
  return draft.recordAt(id, target) ?? (target.scope !== "user" ? draft.recordAt(id, { scope: "user", projectPath: undefined }) : undefined);
}

async function needsFetch(draft: StateDraft, node: PlannedPlugin, target: ScopeTarget): Promise<boolean> {
  const record = node.root ? draft.recordAt(node.id, target) : visibleRecord(draft, node.id, target);
  if (!record) return true;
  // a record whose cache dir vanished is repaired by fetching again
  return !statSync(record.installPath, { throwIfNoEntry: false })?.isDirectory();
}

function checkFrozen(
  locked: Lockfile,
  order: PlannedPlugin[],
  staged: Map<string, StagedForCache>,
  draft: StateDraft,
  target: ScopeTarget,
  everything: boolean,
): void {
  const planned = new Map<string, Pick<LockedPlugin, "version" | "resolved" | "commit" | "integrity" | "dependencies">>();
  for (const node of order) {
    const s = staged.get(node.id);
    const record = visibleRecord(draft, node.id, target);
    const integrity = s?.integrity ?? (record?.integrity as string | undefined) ?? "";
    const commit = s?.commit ?? record?.gitCommitSha;
    planned.set(node.id, { version: s?.version ?? record?.version ?? "", resolved: resolvedSource(node.plugin), integrity, dependencies: node.dependencies, ...(commit ? { commit } : {}) });
  }
  const differences = lockfileDifferences(locked, planned);
  if (everything) for (const id of Object.keys(locked.plugins)) if (!planned.has(id)) differences.push(`${id}: locked but no longer part of the resolution`);
  if (differences.length) {
    throw new AgentError("E_FROZEN_MISMATCH", `The install does not match ${target.lockfile}: ${differences.join("; ")}`, {
      hint: "Run the install without --frozen to update the lockfile, then commit it.",
      details: { lockfile: target.lockfile, differences },
    });
  }
}

function report(
  target: ScopeTarget,
  options: InstallOptions,
  order: PlannedPlugin[],
  draft: StateDraft,
  staged: Map<string, StagedForCache>,
  warnings: string[],
  dryRun: boolean,
): Omit<InstallResult, "updates" | "removedCacheDirs"> {
  const plugins: InstalledReport[] = order.map((node) => {
    const s = staged.get(node.id);
    const record = visibleRecord(draft, node.id, target);
    return {
      id: node.id,
      version: s?.version ?? record?.version ?? "",
      installPath: record?.installPath ?? "",
      scope: target.scope,
      ...(target.projectPath ? { projectPath: target.projectPath } : {}),
      auto: !node.root,
      enabled: node.root ? node.definition.defaultEnabled : true,
      status: s ? "installed" : "already-installed",
      cacheReused: false,
      dependencies: node.dependencies,
    };
  });
  return {
    scope: target.scope,
    ...(target.projectPath ? { projectPath: target.projectPath } : {}),
    dryRun,
    requested: order.filter((n) => n.root).map((n) => n.id),
    plugins,
    dependencies: order.filter((n) => !n.root && staged.has(n.id)).map((n) => n.id).sort(),
    alreadyInstalled: order.filter((n) => n.root && !staged.has(n.id)).map((n) => n.id),
    // reference §2.3: the copy leaves such links out, as Claude Code does, which says nothing about them
    warnings: [...warnings, ...order.flatMap((n) => stagedNote(n.id, staged.get(n.id)))],
  };
}

function stagedNote(id: string, staged: StagedForCache | undefined): string[] {
  const note = staged?.skippedLinks && skippedLinksNote(staged.skippedLinks);
  return note ? [`${id}: ${note}`] : [];
}

/** Update: a re-fetched plugin whose version and content are the same stays as it is. */
async function dropUnchanged(draft: StateDraft, target: ScopeTarget, order: PlannedPlugin[], staged: Map<string, StagedForCache>): Promise<UpdateReport[]> {
  const reports: UpdateReport[] = [];
  for (const node of order.filter((n) => n.root)) {
    const record = draft.recordAt(node.id, target);
    const s = staged.get(node.id);
    if (!record || !s) continue;
    const changes: string[] = [];
    if (s.version !== record.version) changes.push(`version ${record.version} → ${s.version}`);
    if (s.commit && record.gitCommitSha && s.commit !== record.gitCommitSha) changes.push(`commit ${record.gitCommitSha.slice(0, 12)} → ${s.commit.slice(0, 12)}`);
    if (s.integrity !== record.integrity) changes.push(changes.length ? "content changed" : "content changed without a version bump");
    reports.push({ id: node.id, from: record.version, to: s.version, changes });
    if (changes.length === 0) {
      staged.delete(node.id);
      await rm(s.dir, { recursive: true, force: true });
    }
  }
  return reports;
}

function notInstalledAt(id: string, target: ScopeTarget): AgentError {
  return new AgentError("E_NOT_INSTALLED", `Plugin "${id}" is not installed at ${target.scope} scope`, {
    hint: `agent plugin install ${id}${target.scope === "user" ? "" : ` --scope ${target.scope}`}`,
    details: { id, scope: target.scope },
  });
}
