import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { alwaysHiddenPaths, type PluginProcessSpec, type WorkspaceAccess } from "./plugin-process-spec.js";

export interface SandboxPaths {
  pluginRoot: string;
  dataDir: string;
  workspace?: { path: string; access: WorkspaceAccess };
  cwd: string;
  /** existing host paths to cover with tmpfs, parents first, none inside another */
  hidden: string[];
  /** host dirs inside a hidden path mounted back read-only: the node install agent runs on, and the spec's readOnlyPaths */
  readOnly: string[];
}

export function isInside(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

function real(path: string, what: string): string {
  try {
    return realpathSync.native(resolve(path));
  } catch {
    throw new AgentError("E_NOT_FOUND", `The ${what} ${path} does not exist`, { details: { path } });
  }
}

/**
 * Resolves every path of a spec (symlinks included, so a bind cannot be redirected), creates the data
 * dir, and lists what to hide: homes, temp and runtime dirs, $XDG_RUNTIME_DIR and the caller's extras.
 */
export function resolveSandboxPaths(spec: PluginProcessSpec, hostEnv: NodeJS.ProcessEnv = process.env, nodePath: string = process.execPath): SandboxPaths {
  mkdirSync(spec.dataDir, { recursive: true, mode: 0o700 });
  const pluginRoot = real(spec.pluginRoot, "plugin root");
  const dataDir = real(spec.dataDir, "plugin data dir");
  const workspace = spec.workspace ? { path: real(spec.workspace.path, "workspace"), access: spec.workspace.access } : undefined;
  const cwd = spec.cwd ? real(spec.cwd, "working directory") : dataDir;
  const visible = [pluginRoot, dataDir, ...(workspace && workspace.access !== "none" ? [workspace.path] : [])];
  if (!visible.some((dir) => isInside(cwd, dir)))
    throw new AgentError("E_USAGE", `The working directory ${cwd} is not visible in the sandbox (only the plugin root, its data dir and the workspace are)`, { details: { cwd } });

  const candidates = [...alwaysHiddenPaths, ...(hostEnv.XDG_RUNTIME_DIR ? [hostEnv.XDG_RUNTIME_DIR] : []), ...(spec.hiddenPaths ?? [])];
  const hidden: string[] = [];
  for (const path of candidates) {
    if (!isAbsolute(path) || !existsSync(path)) continue;
    const r = realpathSync.native(path);
    if (r === "/") continue;
    if (!hidden.includes(r)) hidden.push(r);
  }
  hidden.sort((a, b) => a.length - b.length);
  const outermost = hidden.filter((p, i) => !hidden.slice(0, i).some((parent) => isInside(p, parent)));
  const runtime = nodeInstallDir(nodePath, hidden);
  const shared = (spec.readOnlyPaths ?? []).filter((p) => isAbsolute(p) && existsSync(p)).map((p) => realpathSync.native(p));
  const readOnly = [...(runtime ? [runtime] : []), ...shared].filter((p, i, all) => all.indexOf(p) === i);
  return { pluginRoot, dataDir, workspace, cwd, hidden: outermost, readOnly };
}

/**
 * The install prefix (bin/.., with lib/node_modules for npm and npx) of the node running agent, when a
 * hidden path covers it — an nvm, volta or fnm install in a home dir. Never a home dir itself, nothing
 * less than two levels below the hidden path, and nothing that holds another hidden path (AGENT_HOME).
 */
export function nodeInstallDir(nodePath: string, hidden: string[]): string | undefined {
  let prefix: string;
  try {
    prefix = dirname(dirname(realpathSync.native(nodePath)));
  } catch {
    return undefined;
  }
  const cover = hidden.find((h) => isInside(prefix, h) && prefix !== h);
  if (!cover) return undefined;
  if (relative(cover, prefix).split("/").length < 2 || prefix === homedir()) return undefined;
  if (hidden.some((h) => h !== cover && isInside(h, prefix))) return undefined;
  return prefix;
}

/** Why a plugin's `node` will not find the host's node in the sandbox, or undefined when it will. */
export function hiddenNodeProblem(nodePath: string, hidden: string[]): string | undefined {
  let real: string;
  try {
    real = realpathSync.native(nodePath);
  } catch {
    return undefined;
  }
  const cover = hidden.find((h) => isInside(real, h));
  if (!cover || nodeInstallDir(nodePath, hidden)) return undefined;
  return `node (${real}) lives in ${cover}, which the sandbox hides, and its install dir is too close to that dir to mount back safely`;
}
