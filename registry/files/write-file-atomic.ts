import { closeSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { removeFile } from "./sync-fs.js";
import { dirname, basename, join } from "node:path";
import { fsync, writeFile } from "./async-fs.js";
import { uniqueSuffix } from "./unique-name.js";

/** Data up to this size is written with one synchronous call; bigger data (a registry's tarball) through the thread pool. */
const syncWriteLimit = 256 * 1024;

/**
 * File writes every layer that keeps state relies on (install state, the registry's embedded store).
 *
 * Writes a file so that readers see either the old content or the new one, never a torn file,
 * even if the process dies at any instant: write a temp file beside it, fsync, rename, fsync the dir.
 * Only the fsyncs, which wait for the disk, go through the thread pool: the other steps are single
 * syscalls, each cheaper than a round trip to it.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, options: { syncDir?: boolean } = {}): Promise<void> {
  const temp = await writeSyncedTemp(path, data, mode);
  try {
    renameSync(temp, path);
  } catch (error) {
    removeFile(temp);
    throw error;
  }
  // a caller renaming several files into the same dirs syncs each dir once, after all of them
  if (options.syncDir !== false) await fsyncDir(dirname(path));
}

/**
 * The first half of writeFileAtomic: `data` in a new temp file beside `path`, fsynced, its name returned
 * for the caller to rename over `path` (or remove). Nothing is left behind when it fails.
 */
export async function writeSyncedTemp(path: string, data: string | Uint8Array, mode = 0o644): Promise<string> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${uniqueSuffix()}.tmp`);
  try {
    const fd = openSync(temp, "w", mode);
    try {
      if (data.length <= syncWriteLimit) writeFileSync(fd, data);
      else await writeFile(fd, data);
      await fsync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeFile(temp);
    throw error;
  }
  return temp;
}

export async function fsyncDir(dir: string): Promise<void> {
  const fd = openSync(dir, "r");
  try {
    await fsync(fd);
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  } finally {
    closeSync(fd);
  }
}
