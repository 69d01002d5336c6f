import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeDirIfEmpty, removeFile } from "../registry/files/sync-fs.js";
import { sweepStaging } from "./cache/cache-store.js";
import type { StatePaths } from "./state-paths.js";
import { withStateLock } from "./state/state-lock.js";
import { fsyncDir, writeFileAtomic } from "./state/write-file-atomic.js";

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
 */
export async function commitFiles(paths: StatePaths, writes: FileWrite[]): Promise<void> {
  if (writes.length === 0) return;
  if (writes.length === 1) return applyWrites(writes);
  const journal = journalPath(paths);
  await writeFileAtomic(journal, JSON.stringify({ writes }));
  // once the journal is durable the files may land in any order: a crash midway is rolled forward
  await applyWrites(writes);
  removeFile(journal);
  await fsyncDir(paths.pluginsDir);
}

/** Replaces the files concurrently (each atomically, each fsynced), then fsyncs every directory touched once. */
async function applyWrites(writes: FileWrite[]): Promise<void> {
  await Promise.all(writes.map((w) => (w.content === null ? removeFile(w.path) : writeFileAtomic(w.path, w.content, undefined, { syncDir: false }))));
  await Promise.all([...new Set(writes.map((w) => dirname(w.path)))].map((dir) => fsyncDir(dir)));
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
