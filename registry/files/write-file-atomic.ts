import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { listDirOrNone, removeFile } from "./sync-fs.js";
import { dirname, basename, join } from "node:path";
import { fsync, writeFile } from "./async-fs.js";
import { isAlive, uniqueSuffix } from "./unique-name.js";

/** Data up to this size is written with one synchronous call; bigger data (a registry's tarball) through the thread pool. */
const syncWriteLimit = 256 * 1024;

/**
 * File writes every layer that keeps state relies on (install state, the registry's embedded store).
 *
 * Writes a file so that readers see either the old content or the new one, never a torn file,
 * even if the process dies at any instant: write a temp file beside it, fsync, rename, fsync the dir.
 * Only the fsyncs, which wait for the disk, go through the thread pool: the other steps are single
 * syscalls, each cheaper than a round trip to it. (A process that waits for the write anyway uses
 * writeFileAtomicSync.)
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, options: { syncDir?: boolean } = {}): Promise<void> {
  const temp = await writeSyncedTemp(path, data, mode);
  renameOrRemove(temp, path);
  // a caller renaming several files into the same dirs syncs each dir once, after all of them
  if (options.syncDir !== false) await fsyncDir(dirname(path));
}

/**
 * writeFileAtomic for a process that has nothing else to do meanwhile (a CLI command): the same steps,
 * with the fsyncs made in the calling thread. A command that needs the thread pool for nothing else then
 * never starts it (libuv starts its four threads at the first request, ~2 ms), and on one disk a few
 * fsyncs one after another take no longer than the same fsyncs from several threads.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o644, options: { syncDir?: boolean } = {}): void {
  renameOrRemove(writeSyncedTempSync(path, data, mode), path);
  if (options.syncDir !== false) fsyncDirSync(dirname(path));
}

function renameOrRemove(temp: string, path: string): void {
  try {
    renameSync(temp, path);
  } catch (error) {
    removeFile(temp);
    throw error;
  }
}

/**
 * The first half of writeFileAtomic: `data` in a new temp file beside `path`, fsynced, its name returned
 * for the caller to rename over `path` (or remove). Nothing is left behind when it fails.
 */
export async function writeSyncedTemp(path: string, data: string | Uint8Array, mode = 0o644): Promise<string> {
  const { temp, fd } = openTemp(path, mode);
  try {
    if (data.length <= syncWriteLimit) writeFileSync(fd, data);
    else await writeFile(fd, data);
    await fsync(fd);
  } catch (error) {
    return closeTemp(temp, fd, { error });
  }
  return closeTemp(temp, fd);
}

/** writeSyncedTemp with its fsync in the calling thread (see writeFileAtomicSync). */
export function writeSyncedTempSync(path: string, data: string | Uint8Array, mode = 0o644): string {
  const { temp, fd } = openTemp(path, mode);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    return closeTemp(temp, fd, { error });
  }
  return closeTemp(temp, fd);
}

/** Closes a temp file just written and gives its name; after a failure (its write's, or the close's) removes it and throws. */
function closeTemp(temp: string, fd: number, failure?: { error: unknown }): string {
  try {
    closeSync(fd);
  } catch (error) {
    failure ??= { error };
  }
  if (failure) {
    removeFile(temp);
    throw failure.error;
  }
  return temp;
}

function openTemp(path: string, mode: number): { temp: string; fd: number } {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${uniqueSuffix()}.tmp`);
  return { temp, fd: openSync(temp, "w", mode) };
}

/**
 * Removes the temp files that writers which died mid-write (killed, or the machine went down) left in
 * `dir`: `.<name>.<pid>.<suffix>.tmp` as openTemp names them, whose pid no longer runs. The caller keeps
 * other writers of the dir out meanwhile (the state lock); a live process's temp stays all the same.
 */
export function sweepDeadTemps(dir: string): void {
  for (const name of listDirOrNone(dir)) {
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const parts = name.split(".");
    const [pidPart, suffix] = parts.slice(-3, -1);
    if (parts.length < 5 || !pidPart || !suffix || !isDigits(pidPart)) continue;
    const pid = Number(pidPart);
    if (pid > 0 && pid !== process.pid && !isAlive(pid)) removeFile(join(dir, name));
  }
}

const isDigits = (text: string) => text.length <= 10 && [...text].every((c) => c >= "0" && c <= "9");

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

/** fsyncDir in the calling thread (see writeFileAtomicSync). */
export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  } finally {
    closeSync(fd);
  }
}
