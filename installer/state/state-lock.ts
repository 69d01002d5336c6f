import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { removeFile } from "../../registry/files/sync-fs.js";
import { isAlive } from "../../registry/files/unique-name.js";
import { dirname } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { isoTime } from "./iso-time.js";

/**
 * An advisory lock that serializes state writes between agent processes: a lock file created with
 * O_EXCL that holds the owner's pid. A lock whose owner is dead is taken over, so a process killed
 * with SIGKILL never wedges the next one; of several processes that find it at once, one removes it
 * (see breakIfStale) and the first to create it anew holds it.
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
    if (createOwned(lockFile)) {
      held.set(lockFile, 1);
      return async () => {
        const left = held.get(lockFile)! - 1;
        held.set(lockFile, left);
        if (left === 0) {
          held.delete(lockFile);
          removeFile(lockFile);
        }
      };
    }
    if (breakIfStale(lockFile)) continue;
    if (Date.now() > deadline) {
      const owner = readOwner(lockFile);
      throw new AgentError("E_LOCKED", `Another agent process (pid ${owner?.pid ?? "unknown"}) holds the state lock ${lockFile}`, {
        hint: "Wait for it to finish. If no agent process is running, delete the lock file.",
        details: { lockFile, owner },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 100);
  }
}

/** Creates `file` holding this process's pid, unless it exists (false then). */
function createOwned(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    const boot = bootId();
    writeFileSync(fd, JSON.stringify({ pid: process.pid, at: isoTime(), ...(boot ? { boot } : {}) }));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes the lock file when its owner is dead; true when it did. The judging and the removing happen
 * under a second lock file, `<lock>.break`: a process that judged the lock stale from one read and
 * removed it later could otherwise remove the fresh lock another process took in between, and both
 * would go on holding it. A breaker is held for a read and an unlink; one left by a killed process is
 * removed the same way a stale lock is.
 */
function breakIfStale(lockFile: string): boolean {
  const breaker = `${lockFile}.break`;
  if (!createOwned(breaker)) {
    if (isStale(breaker)) removeFile(breaker);
    return false;
  }
  try {
    if (!isStale(lockFile)) return false;
    removeFile(lockFile);
    return true;
  } finally {
    removeFile(breaker);
  }
}

interface LockOwner {
  pid: number;
  at?: string;
  /** the kernel's boot id (Linux) when the lock was taken */
  boot?: string;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown };
    return Number.isInteger(owner.pid) && (owner.pid as number) > 0 ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

let boot: string | null | undefined;

/** This boot's id where Linux tells it (/proc/sys/kernel/random/boot_id), else null. */
function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
    } catch {
      boot = null;
    }
  }
  return boot;
}

/**
 * Whether a lock file's owner is gone: it names no pid and has for 2 s (a crash mid-write, or garbage),
 * or its pid is dead, or the pid is no longer the owner's. The last is the case after a reboot (another
 * boot id), and for a lock naming this very process when the process holds no such lock: a container
 * that runs agent as the same pid every time, killed mid-command, would otherwise leave a lock that every
 * later run waits on for its whole timeout and then fails on.
 */
function isStale(file: string): boolean {
  const owner = readOwner(file);
  if (owner) {
    if (owner.pid === process.pid) return !held.has(file);
    const current = bootId();
    if (owner.boot && current && owner.boot !== current) return true;
    return !isAlive(owner.pid);
  }
  // a lock file still being written is young; one that stays unreadable is a crash leftover
  const info = statSync(file, { throwIfNoEntry: false });
  return info !== undefined && Date.now() - info.mtimeMs > 2_000;
}
