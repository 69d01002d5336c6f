import { existsSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeDirIfEmpty, removeFile } from "../registry/files/sync-fs.js";
import { sweepStaging } from "./cache/cache-store.js";
import type { StatePaths } from "./state-paths.js";
import { withStateLock } from "./state/state-lock.js";
import { fsyncDirSync, sweepDeadTemps, writeFileAtomicSync, writeSyncedTempSync } from "./state/write-file-atomic.js";

/** One file of a multi-file commit: its new text, or null to delete it. */
export interface FileWrite {
  path: string;
  content: string | null;
}

function journalPath(paths: StatePaths): string {
  return join(paths.pluginsDir, ".transaction.json");
}

/**
 * Runs `fn` under the state lock after finishing any commit a killed process left half-applied, and
 * sweeping its staging dirs. Every command that changes state goes through here.
 */
export function withState<T>(paths: StatePaths, fn: () => Promise<T>): Promise<T> {
  return withStateLock(paths.lockFile, async () => {
    await recoverTransaction(paths);
    // what killed processes left: their temp files of state writes, and their staging dirs
    for (const dir of [paths.home, paths.pluginsDir]) sweepDeadTemps(dir);
    await sweepStaging(paths.cacheDir);
    try {
      return await fn();
    } finally {
      // what this process still has in staging was never placed; an empty staging dir is not state either
      await sweepStaging(paths.cacheDir, { own: true });
      removeDirIfEmpty(paths.cacheDir);
    }
  });
}

/**
 * Commits several state files as one step: the full set of new contents is written to a journal first
 * (atomically), then each file is replaced atomically, then the journal goes. A crash before the journal
 * lands leaves the old state; after it, the next agent process rolls the commit forward.
 *
 * The journal and the files' new texts are written to synced temp files first: the journal's rename is
 * what commits, and the temps are only renamed over their files after it.
 */
export async function commitFiles(paths: StatePaths, writes: FileWrite[]): Promise<void> {
  if (writes.length === 0) return;
  // what a killed process left beside a project's files (withState sweeps the home and plugins dirs)
  for (const dir of new Set(writes.map((w) => dirname(w.path)))) if (dir !== paths.home && dir !== paths.pluginsDir) sweepDeadTemps(dir);
  if (writes.length === 1) return applyWrites(writes);
  const journal = journalPath(paths);
  const temps: string[] = [];
  try {
    temps.push(writeSyncedTempSync(journal, JSON.stringify({ writes })));
    for (const w of writes) if (w.content !== null) temps.push(writeSyncedTempSync(w.path, w.content));
    renameSync(temps[0]!, journal);
  } catch (error) {
    temps.forEach(removeFile);
    throw error;
  }
  fsyncDirSync(paths.pluginsDir);
  // committed: once the journal is durable the files may land in any order, and a crash midway is rolled forward
  let next = 1;
  for (const w of writes) {
    if (w.content === null) removeFile(w.path);
    else renameSync(temps[next++]!, w.path);
  }
  syncDirsOf(writes);
  removeFile(journal);
  fsyncDirSync(paths.pluginsDir);
}

/** Replaces the files (each atomically, each fsynced), then fsyncs every directory touched once. */
async function applyWrites(writes: FileWrite[]): Promise<void> {
  for (const w of writes) {
    if (w.content === null) removeFile(w.path);
    else writeFileAtomicSync(w.path, w.content, undefined, { syncDir: false });
  }
  syncDirsOf(writes);
}

function syncDirsOf(writes: FileWrite[]): void {
  for (const dir of new Set(writes.map((w) => dirname(w.path)))) fsyncDirSync(dir);
}

/** Rolls forward a journal left by a killed process. Callers hold the lock. */
export async function recoverTransaction(paths: StatePaths): Promise<boolean> {
  let text: string;
  try {
    text = readFileSync(journalPath(paths), "utf8"); // usually absent: one syscall
  } catch {
    return false;
  }
  const { writes } = JSON.parse(text) as { writes: FileWrite[] };
  await applyWrites(writes);
  removeFile(journalPath(paths));
  return true;
}

/** Recovers a pending journal for a reader that does not otherwise take the lock. */
export async function settleState(paths: StatePaths): Promise<void> {
  const pending = existsSync(journalPath(paths));
  if (pending) await withStateLock(paths.lockFile, () => recoverTransaction(paths));
}
