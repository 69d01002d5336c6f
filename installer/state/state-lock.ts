import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { removeFile } from "../../registry/files/sync-fs.js";
import { readFile, rm, stat } from "../../registry/files/async-fs.js";
import { dirname } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { isoTime } from "./iso-time.js";

/**
 * An advisory lock that serializes state writes between agent processes: a lock file created with
 * O_EXCL that holds the owner's pid. A lock whose owner is dead is taken over, so a process killed
 * with SIGKILL never wedges the next one.
 */
export async function withStateLock<T>(lockFile: string, fn: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const release = await acquire(lockFile, options.timeoutMs ?? 60_000);
  try {
    return await fn();
  } finally {
    await release();
  }
}

const held = new Map<string, number>();

async function acquire(lockFile: string, timeoutMs: number): Promise<() => Promise<void>> {
  // re-entrant within one process: nested operations (install → its dependencies) share the lock
  const depth = held.get(lockFile) ?? 0;
  if (depth > 0) {
    held.set(lockFile, depth + 1);
    return async () => void held.set(lockFile, held.get(lockFile)! - 1);
  }
  // synchronous calls: each is one small syscall, cheaper than its round trip through the thread pool
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx", 0o644);
      try {
        writeFileSync(fd, JSON.stringify({ pid: process.pid, at: isoTime() }));
      } finally {
        closeSync(fd);
      }
      held.set(lockFile, 1);
      return async () => {
        const left = held.get(lockFile)! - 1;
        held.set(lockFile, left);
        if (left === 0) {
          held.delete(lockFile);
          removeFile(lockFile);
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lockFile)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const owner = await readOwner(lockFile);
      throw new AgentError("E_LOCKED", `Another agent process (pid ${owner?.pid ?? "unknown"}) holds the state lock ${lockFile}`, {
        hint: "Wait for it to finish. If no agent process is running, delete the lock file.",
        details: { lockFile, owner },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 100);
  }
}

async function readOwner(lockFile: string): Promise<{ pid: number } | undefined> {
  try {
    return JSON.parse(await readFile(lockFile, "utf8")) as { pid: number };
  } catch {
    return undefined;
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  const owner = await readOwner(lockFile);
  if (!owner) {
    // a lock file still being written is young; one that stays unreadable is a crash leftover
    const info = await stat(lockFile).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 2_000;
  }
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
