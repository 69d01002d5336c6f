import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A per-sandbox process cap through the cgroup "pids" controller. RLIMIT_NPROC does not bind processes
 * whose real uid is host root (the kernel exempts INIT_USER), so when the host runs as root a fork bomb
 * is only stopped by a pids cgroup. Used when the host can create one (root, or a delegated v2 subtree).
 */
export interface PidsCgroup {
  /**
   * Moves a process in; its children, forked later, stay in. On cgroup v1 a move can wait for an RCU
   * grace period (~10 ms when no other move happened just before): it runs off the event loop.
   */
  add(pid: number): Promise<void>;
  remove(): void;
}

let cachedParent: string | null | undefined;
let counter = 0;

/** The cgroup directory under which per-sandbox cgroups are created, or null when none is usable. */
export function pidsCgroupParent(): string | null {
  if (cachedParent !== undefined) return cachedParent;
  cachedParent = findParent();
  return cachedParent;
}

function findParent(): string | null {
  let lines: string[];
  try {
    lines = readFileSync("/proc/self/cgroup", "utf8").trim().split("\n");
  } catch {
    return null;
  }
  const candidates: string[] = [];
  for (const line of lines) {
    const [, controllers, path] = line.split(":") as [string, string, string];
    if (controllers === "" ) {
      for (const mount of ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]) {
        const dir = join(mount, path);
        if (readOr(join(dir, "cgroup.subtree_control")).split(/\s+/).includes("pids")) candidates.push(dir);
      }
    } else if (controllers.split(",").includes("pids")) candidates.push(join("/sys/fs/cgroup/pids", path));
  }
  for (const dir of candidates) {
    try {
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      // not ours to write
    }
  }
  return null;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Creates a cgroup limited to `max` processes, or returns undefined when no pids cgroup is writable. */
export function createPidsCgroup(max: number): PidsCgroup | undefined {
  const parent = pidsCgroupParent();
  if (!parent) return undefined;
  if (counter === 0) removeStaleCgroups(parent);
  const dir = join(parent, `agent-sandbox-${process.pid}-${++counter}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "pids.max"), String(max));
  } catch {
    return undefined;
  }
  return {
    add: (pid) => writeFile(join(dir, "cgroup.procs"), String(pid)),
    remove() {
      killAll(dir);
      removeWhenEmpty(dir, 20);
    },
  };
}

/**
 * Ends every process still in the sandbox's cgroup. The sandbox's init can outlive bubblewrap when the
 * host kills it (a --die-with-parent race), and it holds the plugin's pipes open: the host would never exit.
 */
function killAll(dir: string): void {
  try {
    writeFileSync(join(dir, "cgroup.kill"), "1"); // cgroup v2, Linux 5.14+
    return;
  } catch {
    // older kernels: signal each process
  }
  for (const pid of readOr(join(dir, "cgroup.procs")).split("\n").filter(Boolean)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function removeWhenEmpty(dir: string, attempts: number): void {
  try {
    rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EBUSY: the sandbox's last processes are still being reaped
    if (code === "EBUSY" && attempts > 0) setTimeout(() => removeWhenEmpty(dir, attempts - 1), 50).unref();
  }
}

/**
 * Removes the empty per-sandbox cgroups of agent processes that are gone: a host that exits right after
 * its plugin process cannot wait for the last sandbox processes to be reaped, so its cgroup may stay.
 */
export function removeStaleCgroups(parent: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = /^agent-sandbox-(\d+)-\d+$/.exec(name)?.[1];
    if (!owner || Number(owner) === process.pid || processAlive(Number(owner))) continue;
    try {
      rmdirSync(join(parent, name));
      removed.push(name);
    } catch {
      // still has processes, or not ours to remove
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
