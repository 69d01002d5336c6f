import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { isAlive } from "../../registry/files/unique-name.js";

/**
 * A per-sandbox process cap through the cgroup "pids" controller. RLIMIT_NPROC does not bind processes
 * whose real uid is host root (the kernel exempts INIT_USER), so when the host runs as root a fork bomb
 * is only stopped by a pids cgroup. Used when the host can create one (root, or a delegated v2 subtree).
 */
export interface PidsCgroup {
  /**
   * Starts a process that is inside the cgroup from its first instruction, so every process it forks
   * is counted. Moving a whole process in (cgroup.procs) waits for an RCU grace period (~13 ms) unless
   * another move happened just before. On cgroup v1 the calling thread moves itself in instead (`0` into
   * `tasks`, a one-thread move, which does not wait), forks the child there, and moves back. On v2, where
   * a domain cgroup takes whole processes only, a shell enters the cgroup and then execs the command.
   */
  spawn(command: string, args: string[], options: SpawnOptions): ChildProcess;
  remove(): void;
}

/** exit status of the v2 wrapper shell when it cannot enter the cgroup (it then never runs the command) */
const cgroupJoinFailed = 125;

/**
 * The command line that runs `command` after a shell has written `0` to `joinFile` (joining that file's
 * cgroup). When the write fails, the shell exits with 125 and the command never runs.
 */
export function joinThenExec(joinFile: string, command: string, args: string[]): { command: string; args: string[] } {
  const script = `echo 0 >"$1" || { echo "agent: cannot enter the sandbox's process cap cgroup $1" >&2; exit ${cgroupJoinFailed}; }; shift; exec "$@"`;
  return { command: "/bin/sh", args: ["-c", script, "sh", joinFile, command, ...args] };
}

interface CgroupParent {
  dir: string;
  /** the file a process writes `0` to in order to join a cgroup: `tasks` (v1, one thread) or `cgroup.procs` (v2) */
  joinFile: "tasks" | "cgroup.procs";
}

let cachedParent: CgroupParent | null | undefined;
let counter = 0;

/** The cgroup directory under which per-sandbox cgroups are created, or null when none is usable. */
export function pidsCgroupParent(): string | null {
  return parentCgroup()?.dir ?? null;
}

function parentCgroup(): CgroupParent | null {
  if (cachedParent === undefined) cachedParent = findParent();
  return cachedParent;
}

function findParent(): CgroupParent | null {
  let lines: string[];
  try {
    lines = readFileSync("/proc/self/cgroup", "utf8").trim().split("\n");
  } catch {
    return null;
  }
  const candidates: CgroupParent[] = [];
  for (const line of lines) {
    const [, controllers, path] = line.split(":") as [string, string, string];
    if (controllers === "") {
      for (const mount of ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]) {
        const dir = join(mount, path);
        if (readOr(join(dir, "cgroup.subtree_control")).split(/\s+/).includes("pids")) candidates.push({ dir, joinFile: "cgroup.procs" });
      }
    } else if (controllers.split(",").includes("pids")) candidates.push({ dir: join("/sys/fs/cgroup/pids", path), joinFile: "tasks" });
  }
  for (const candidate of candidates) {
    try {
      accessSync(candidate.dir, constants.W_OK);
      return candidate;
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
  const parent = parentCgroup();
  if (!parent) return undefined;
  if (counter === 0) removeStaleCgroups(parent.dir);
  const dir = join(parent.dir, `agent-sandbox-${process.pid}-${++counter}`);
  const joinFile = join(dir, parent.joinFile);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, "pids.max"), String(max));
  } catch {
    return undefined;
  }
  return {
    spawn(command, args, options) {
      if (parent.joinFile === "cgroup.procs") {
        const start = joinThenExec(joinFile, command, args);
        return spawn(start.command, start.args, options);
      }
      try {
        writeFileSync(joinFile, "0");
      } catch (error) {
        removeWhenEmpty(dir, 0);
        throw new AgentError("E_SANDBOX_UNAVAILABLE", `Cannot enter the sandbox's process cap cgroup ${dir}: ${(error as Error).message}`, {
          hint: "Check that /sys/fs/cgroup/pids is mounted read-write, or run agent as a regular user (then RLIMIT_NPROC is the cap).",
        });
      }
      try {
        return spawn(command, args, options);
      } finally {
        writeFileSync(join(parent.dir, "tasks"), "0");
      }
    },
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
    if (Number(pid) === process.pid) continue; // never the host: one of its threads is inside while it starts a sandbox
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
    if (!owner || Number(owner) === process.pid || isAlive(Number(owner))) continue;
    try {
      rmdirSync(join(parent, name));
      removed.push(name);
    } catch {
      // still has processes, or not ours to remove
    }
  }
  return removed;
}
