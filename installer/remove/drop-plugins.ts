import { uniqueSuffix } from "../../registry/files/unique-name.js";
import { mkdir, rename, rm } from "../../registry/files/async-fs.js";
import { join } from "node:path";
import { sanitizePluginIdForPath } from "../../schemas/names.js";
import { collectGarbage, stagingRoot } from "../cache/cache-store.js";
import { deletePluginSecrets } from "../config/plugin-secrets.js";
import { lockfileText, readLockfile } from "../lockfile/scope-lockfile.js";
import type { ScopeTarget } from "../state-context.js";
import type { StateDraft } from "../state-draft.js";

/**
 * Removes plugins from one scope in a draft: the install records, their enabledPlugins keys, their
 * lockfile entries and (unless keepData) their pluginConfigs. Returns what to clean after the commit.
 */
export async function dropFromScope(draft: StateDraft, target: ScopeTarget, ids: string[], keepData: boolean): Promise<() => Promise<void>> {
  const settings = await draft.settings(target.settingsFile);
  const lockfile = await readLockfile(target.lockfile);
  const gone: string[] = [];
  for (const id of ids) {
    if (!draft.removeRecord(id, target)) continue;
    gone.push(id);
    if (settings.enabledPlugins && id in settings.enabledPlugins) {
      delete settings.enabledPlugins[id];
      draft.touch(target.settingsFile);
    }
    if (!keepData && settings.pluginConfigs && id in settings.pluginConfigs) {
      delete settings.pluginConfigs[id];
      draft.touch(target.settingsFile);
    }
    delete lockfile.plugins[id];
  }
  draft.stageFile(target.lockfile, lockfileText(lockfile));
  return async () => {
    if (keepData) return;
    // data and secrets belong to the plugin, not the scope: they go with its last install record
    for (const id of gone.filter((g) => draft.records(g).length === 0)) {
      await deletePluginSecrets(draft.ctx, id);
      await removeDir(draft.ctx.paths.cacheDir, join(draft.ctx.paths.dataDir, sanitizePluginIdForPath(id)));
    }
  };
}

/** Deletes cache versions that no install record (at any scope) references any more. */
export function collectUnreferenced(draft: StateDraft): Promise<string[]> {
  const referenced = new Set(Object.values(draft.installed.plugins).flatMap((records) => records.map((r) => r.installPath)));
  return collectGarbage(draft.ctx.paths.cacheDir, referenced);
}

async function removeDir(cacheDir: string, dir: string): Promise<void> {
  await mkdir(stagingRoot(cacheDir), { recursive: true });
  const doomed = join(stagingRoot(cacheDir), `${process.pid}-rm-${uniqueSuffix()}`);
  const moved = await rename(dir, doomed).then(() => true, () => false);
  if (moved) await rm(doomed, { recursive: true, force: true });
}
