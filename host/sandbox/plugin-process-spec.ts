import { dirname } from "node:path";
import type { Permissions } from "../../schemas/permissions.js";

export type SandboxMode = "auto" | "off";
export type WorkspaceAccess = "none" | "read" | "write";

/** Everything needed to start one plugin process (hook command, MCP server, LSP server, Bash tool). */
export interface PluginProcessSpec {
  command: string;
  args?: string[];
  /** working directory; default: the data dir. Must be visible inside the sandbox. */
  cwd?: string;
  /**
   * The ONLY environment the child gets (already resolved: declared variables and the plugin's own
   * secrets). PATH (a system default) and HOME (the data dir) are added when missing; the allowlist
   * network level adds HTTP(S)_PROXY.
   */
  env: Record<string, string>;
  /** the plugin's install dir, mounted read-only */
  pluginRoot: string;
  /** the plugin's data dir, mounted read-write; created when missing */
  dataDir: string;
  workspace?: { path: string; access: WorkspaceAccess };
  /** the plugin's approved permissions; network defaults to "none" */
  permissions?: Permissions;
  /** "off" only from user config or --no-sandbox, never from project config */
  sandbox: SandboxMode;
  /** names the plugin in warnings and errors */
  pluginId?: string;
  /** more host paths to hide (e.g. AGENT_HOME when it is not under /home, /root or /tmp) */
  hiddenPaths?: string[];
  /**
   * host directories every plugin process may read even inside a hidden path: a toolchain the user
   * chose to share (language servers or runtimes installed under a home or temp dir). Never written.
   */
  readOnlyPaths?: string[];
  /** cap on processes inside the sandbox (fork bombs); default 256 */
  maxProcesses?: number;
  /** where warnings go (sandbox off, no process cap); default: stderr */
  onWarning?: (message: string) => void;
}

export const defaultMaxProcesses = 256;
export const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** paths always covered by an empty tmpfs: homes (ssh keys, agent state), temp dirs and runtime sockets */
export const alwaysHiddenPaths = ["/home", "/root", "/tmp", "/run", "/var/tmp"];
/** the port, inside the sandbox's own loopback, where the allowlist proxy bridge listens */
export const sandboxProxyPort = 3128;

/**
 * The default PATH: the directory of the node running agent first (a plugin's `node` is the host's, also
 * when it lives in an nvm or volta install under a hidden home), then the system directories.
 */
export function pluginPath(nodePath: string = process.execPath): string {
  const bin = dirname(nodePath);
  return defaultPath.split(":").includes(bin) ? defaultPath : `${bin}:${defaultPath}`;
}

/** The child's environment: exactly spec.env plus the documented defaults. */
export function childEnvironment(spec: PluginProcessSpec, proxyPort?: number): Record<string, string> {
  const env: Record<string, string> = { PATH: pluginPath(), HOME: spec.dataDir, ...spec.env };
  if (proxyPort !== undefined) {
    const url = `http://127.0.0.1:${proxyPort}`;
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) env[name] = url;
    delete env.NO_PROXY;
    delete env.no_proxy;
  }
  return env;
}

export type NetworkLevel = { kind: "none" } | { kind: "full" } | { kind: "allowlist"; allow: string[] };

export function networkLevel(permissions: Permissions | undefined): NetworkLevel {
  const n = permissions?.network;
  if (n === undefined || n === "none") return { kind: "none" };
  if (n === "full") return { kind: "full" };
  return { kind: "allowlist", allow: n.allow };
}
