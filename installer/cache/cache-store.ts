import { listDirOrNone, removeDirIfEmpty } from "../../registry/files/sync-fs.js";
import { isAlive, uniqueSuffix } from "../../registry/files/unique-name.js";
import { mkdir, readdir, rename, rm } from "../../registry/files/async-fs.js";
import { mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { treeIntegrity } from "./tree-integrity.js";
import { versionDirName } from "./plugin-version.js";

/**
 * The plugin cache `plugins/cache/<market>/<plugin>/<version>/`. Contents are fetched into a staging dir
 * beside the cache (same filesystem) and renamed into place, so a cache dir exists only complete; once
 * written it never changes. Removal renames out first, so a crash never leaves a half-deleted version.
 */
export function stagingRoot(cacheDir: string): string {
  return join(cacheDir, ".staging");
}

/**
 * A new dir under the staging root, named `<pid>-<suffix>`. Made with mkdir, not mkdtemp: it becomes the
 * cache version dir as it is, so it takes the umask's mode (0755 under the usual 022), as every dir inside
 * it does, and not mkdtemp's 0700. (Synchronous, as placeInCache's moves: each step is one syscall, cheaper
 * than its round trip through the thread pool.)
 */
export async function makeStagingDir(cacheDir: string): Promise<string> {
  mkdirSync(stagingRoot(cacheDir), { recursive: true });
  for (;;) {
    const dir = join(stagingRoot(cacheDir), `${process.pid}-${uniqueSuffix()}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/**
 * Removes staging dirs left by processes that died (their pid is the name's prefix), and with `own` this
 * process's too (what is still staged when its state operation ends was never placed); drops an empty root.
 */
export async function sweepStaging(cacheDir: string, options: { own?: boolean } = {}): Promise<void> {
  const root = stagingRoot(cacheDir);
  const names = listDirOrNone(root);
  for (const name of names) {
    const pid = Number(name.split("-")[0]);
    if (pid === process.pid ? !options.own : Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
  }
  removeDirIfEmpty(root); // not one that another process is staging in right now
}

export interface PlacedVersion {
  installPath: string;
  /** an identical copy was already in the cache */
  reused: boolean;
}

/**
 * Moves a staged plugin into its cache dir. An existing dir with the same integrity is reused; one with other
 * content under the same version string (the plugin changed without a version bump) gets a sibling
 * `<version>-<integrity8>` so the old one stays immutable for whoever still uses it.
 */
export async function placeInCache(cacheDir: string, marketplace: string, plugin: string, version: string, staged: string, integrity: string): Promise<PlacedVersion> {
  const parent = join(cacheDir, marketplace, plugin);
  const base = versionDirName(version);
  const candidates = [base, `${base}-${Buffer.from(integrity.slice(7), "base64").toString("hex").slice(0, 8)}`];
  for (const name of candidates) {
    const target = join(parent, name);
    const existing = statSync(target, { throwIfNoEntry: false });
    if (existing) {
      if ((await treeIntegrity(target)) !== integrity) continue;
      await rm(staged, { recursive: true, force: true });
      return { installPath: target, reused: true };
    }
    mkdirSync(parent, { recursive: true });
    // atomic against a killed process; no fsync: the files inside are not synced either, and a cache dir
    // lost to a power cut is fetched again by the next install (the records say what belongs there)
    renameSync(staged, target);
    return { installPath: target, reused: false };
  }
  throw new Error(`cache dirs ${candidates.join(", ")} under ${parent} both hold other content`);
}

/**
 * Deletes every cache version dir no install record references (and that no live process marked in use).
 * Returns the removed paths.
 */
export async function collectGarbage(cacheDir: string, referenced: Set<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const market of await listDirs(cacheDir)) {
    if (market.startsWith(".")) continue;
    for (const plugin of await listDirs(join(cacheDir, market))) {
      const pluginDir = join(cacheDir, market, plugin);
      for (const version of await listDirs(pluginDir)) {
        const dir = join(pluginDir, version);
        if (referenced.has(dir) || (await inUse(dir))) continue;
        await mkdir(stagingRoot(cacheDir), { recursive: true });
        const doomed = join(stagingRoot(cacheDir), `${process.pid}-gc-${uniqueSuffix()}`);
        await rename(dir, doomed);
        await rm(doomed, { recursive: true, force: true });
        removed.push(dir);
      }
      if ((await listDirs(pluginDir)).length === 0) await rm(pluginDir, { recursive: true, force: true });
    }
    if ((await listDirs(join(cacheDir, market))).length === 0) await rm(join(cacheDir, market), { recursive: true, force: true });
  }
  return removed;
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

async function inUse(dir: string): Promise<boolean> {
  const pids = await readdir(join(dir, ".in_use")).catch(() => [] as string[]);
  return pids.some((p) => Number.isInteger(Number(p)) && isAlive(Number(p)));
}
