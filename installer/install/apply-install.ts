import type { InstallRecord } from "../../schemas/installed-plugins.js";
import type { EditableScope } from "../../schemas/settings.js";
import type { UserConfigValue } from "../../schemas/user-config.js";
import { lockfileText, readLockfile } from "../lockfile/scope-lockfile.js";
import type { PlannedPlugin } from "../resolve-plan.js";
import type { ScopeTarget } from "../state-context.js";
import type { StateDraft } from "../state-draft.js";
import type { CachedPlugin } from "./cache-plugin.js";
import { resolvedSource } from "./fetch-plugin.js";
import { isoTime } from "../state/iso-time.js";

export interface InstalledReport {
  id: string;
  version: string;
  installPath: string;
  scope: EditableScope;
  projectPath?: string;
  auto: boolean;
  enabled: boolean;
  status: "installed" | "already-installed" | "repaired";
  cacheReused: boolean;
  dependencies: string[];
}

/**
 * The state half of an install, applied to the draft (nothing is written until draft.commit()): records in
 * installed_plugins.json (auto for dependencies), enabledPlugins (false for a defaultEnabled:false root),
 * pluginConfigs options, and the scope's lockfile.
 */
export async function applyInstall(
  draft: StateDraft,
  target: ScopeTarget,
  order: PlannedPlugin[],
  cached: Map<string, CachedPlugin>,
  config: Map<string, Record<string, UserConfigValue>>,
  mode: { update: boolean },
): Promise<InstalledReport[]> {
  const now = isoTime();
  const settings = await draft.settings(target.settingsFile);
  const lockfile = await readLockfile(target.lockfile);
  const reports: InstalledReport[] = [];
  for (const node of order) {
    const fetched = cached.get(node.id);
    const existing = draft.recordAt(node.id, target);
    let record = existing;
    if (fetched) {
      record = {
        ...(existing ?? {}),
        scope: target.scope,
        ...(target.projectPath ? { projectPath: target.projectPath } : {}),
        installPath: fetched.installPath,
        version: fetched.version,
        installedAt: existing?.installedAt ?? now,
        lastUpdated: now,
        ...(fetched.commit ? { gitCommitSha: fetched.commit } : {}),
        integrity: fetched.integrity,
        dependencies: node.dependencies,
        ...(node.definition.permissions ? { permissions: node.definition.permissions } : {}),
        ...(node.plugin.marketplace.direct ? { directSource: node.plugin.marketplace.direct } : {}),
      } satisfies InstallRecord;
      // asking for a plugin by name makes it yours; updating it keeps it what it was
      if (node.root && !mode.update) delete record.auto;
      else if (!existing) record.auto = true;
      draft.setRecord(node.id, record);
    } else if (node.root && existing?.auto && !mode.update) {
      record = { ...existing };
      delete record.auto;
      draft.setRecord(node.id, record);
    }
    const isNew = fetched !== undefined && existing === undefined;
    if (isNew || (fetched && settings.enabledPlugins?.[node.id] === undefined)) {
      settings.enabledPlugins = { ...settings.enabledPlugins, [node.id]: node.root ? node.definition.defaultEnabled : true };
      draft.touch(target.settingsFile);
    }
    const options = config.get(node.id);
    if (options) {
      const previous = settings.pluginConfigs?.[node.id];
      settings.pluginConfigs = { ...settings.pluginConfigs, [node.id]: { ...previous, options: { ...previous?.options, ...options } } };
      draft.touch(target.settingsFile);
    }
    if (record && draft.recordAt(node.id, target)) {
      lockfile.plugins[node.id] = {
        version: record.version,
        resolved: resolvedSource(node.plugin),
        ...(record.gitCommitSha ? { commit: record.gitCommitSha } : {}),
        integrity: (record.integrity as string | undefined) ?? "sha512-",
        dependencies: node.dependencies,
        ...(record.auto ? { auto: true } : {}),
      };
    }
    const enabledValue = settings.enabledPlugins?.[node.id];
    reports.push({
      id: node.id,
      version: record?.version ?? "",
      installPath: record?.installPath ?? "",
      scope: target.scope,
      ...(target.projectPath ? { projectPath: target.projectPath } : {}),
      auto: Boolean(record?.auto),
      enabled: enabledValue === undefined ? true : enabledValue !== false,
      status: fetched ? (existing ? "repaired" : "installed") : "already-installed",
      cacheReused: fetched?.reused ?? false,
      dependencies: node.dependencies,
    });
  }
  draft.stageFile(target.lockfile, lockfileText(lockfile));
  return reports;
}
