import type { WorkspaceAccess } from "./plugin-process-spec.js";

/** A plugin process's sandbox with every path already resolved (realpath) and checked to exist. */
export interface BwrapPlan {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  pluginRoot: string;
  dataDir: string;
  workspace?: { path: string; access: WorkspaceAccess };
  /** existing host paths covered by an empty tmpfs, parents before children */
  hidden: string[];
  /** dirs inside hidden paths mounted back read-only (the host's node install) */
  readOnly?: string[];
  /** "full" shares the host network; everything else gets a private loopback only */
  shareNet: boolean;
  seccompFd: number;
  /** allowlist level: bwrap reports the sandbox pid here and waits on blockFd until the bridge is up */
  infoFd?: number;
  blockFd?: number;
  /** RLIMIT_NPROC set inside the sandbox (after the user namespace exists, so it counts only its processes) */
  nprocLimit?: number;
}

/**
 * The hardened bubblewrap profile of reference A5: every namespace unshared (user included, so root's
 * capabilities do not follow), all capabilities dropped, no host environment, a new session (no
 * TIOCSTI), and the filesystem read-only except the data dir (and the workspace when writable).
 */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const a: string[] = ["--die-with-parent", "--new-session", "--unshare-all", "--unshare-user"];
  if (plan.shareNet) a.push("--share-net");
  a.push("--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
  for (const path of plan.hidden) a.push("--tmpfs", path);
  for (const path of plan.readOnly ?? []) a.push("--ro-bind", path, path);
  if (plan.workspace?.access === "none") a.push("--tmpfs", plan.workspace.path);
  if (plan.workspace && plan.workspace.access !== "none")
    a.push(plan.workspace.access === "write" ? "--bind" : "--ro-bind", plan.workspace.path, plan.workspace.path);
  // later binds win: a plugin root inside a writable workspace stays read-only, a data dir stays writable
  a.push("--ro-bind", plan.pluginRoot, plan.pluginRoot);
  a.push("--bind", plan.dataDir, plan.dataDir);
  a.push("--clearenv");
  for (const [name, value] of Object.entries(plan.env)) a.push("--setenv", name, value);
  a.push("--chdir", plan.cwd, "--seccomp", String(plan.seccompFd));
  if (plan.infoFd !== undefined) a.push("--info-fd", String(plan.infoFd));
  if (plan.blockFd !== undefined) a.push("--block-fd", String(plan.blockFd));
  a.push("--");
  if (plan.nprocLimit !== undefined) a.push("/bin/sh", "-c", `{ ulimit -u ${plan.nprocLimit} || ulimit -p ${plan.nprocLimit}; } 2>/dev/null && exec "$@"`, "sh");
  a.push(plan.command, ...plan.args);
  return a;
}
