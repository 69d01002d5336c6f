import type { NetworkLevel, WorkspaceAccess } from "./plugin-process-spec.js";

/** The policy of the Linux profile, for macOS `sandbox-exec -p <profile>`. Paths must be absolute and resolved. */
export interface SbplPolicy {
  pluginRoot: string;
  dataDir: string;
  workspace?: { path: string; access: WorkspaceAccess };
  /** the user's home: hidden except the plugin's own dirs */
  home: string;
  /** more hidden paths (agent state, other plugins' data) */
  hidden: string[];
  /** dirs inside hidden paths readable again (the host's node install) */
  readOnly?: string[];
  network: NetworkLevel;
  /** loopback port of the host allowlist proxy (allowlist level) */
  proxyPort?: number;
}

/** Quotes a path as an SBPL string literal. */
export function sbplString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Deny by default; processes may run and read the system, but not the home directory (ssh keys,
 * keychains, agent state), temp dirs or other plugins' data; writes only to the data dir (and the
 * workspace when writable); no unix-socket connects (launchd services, ssh-agent); network per level.
 */
export function sbplProfile(p: SbplPolicy): string {
  const sub = (path: string) => `(subpath ${sbplString(path)})`;
  const readable = [...(p.readOnly ?? []), p.pluginRoot, p.dataDir];
  const writable = [p.dataDir];
  if (p.workspace && p.workspace.access !== "none") readable.push(p.workspace.path);
  if (p.workspace?.access === "write") writable.push(p.workspace.path);
  const hidden = [p.home, "/private/tmp", "/private/var/folders", "/Volumes", ...p.hidden];
  if (p.workspace?.access === "none") hidden.push(p.workspace.path);
  const lines = [
    "(version 1)",
    "(deny default)",
    "(allow process-exec)",
    "(allow process-fork)",
    "(allow signal (target same-sandbox))",
    "(allow sysctl-read)",
    "(allow mach-lookup (global-name \"com.apple.system.opendirectoryd.libinfo\"))",
    "(allow ipc-posix-shm-read-data)",
    "(allow file-read*)",
    `(deny file-read* ${hidden.map(sub).join(" ")})`,
    `(allow file-read* ${readable.map(sub).join(" ")})`,
    `(allow file-write* ${writable.map(sub).join(" ")} (literal "/dev/null") (literal "/dev/stdout") (literal "/dev/stderr"))`,
  ];
  if (p.network.kind === "full") lines.push("(allow network-outbound)", "(allow network-inbound (local ip \"localhost:*\"))", "(allow system-socket)");
  else if (p.network.kind === "allowlist") {
    if (p.proxyPort === undefined) throw new Error("sbplProfile: the allowlist level needs the proxy port");
    lines.push(`(allow network-outbound (remote ip "localhost:${p.proxyPort}"))`);
  }
  // last matching rule wins: no unix-socket connects whatever the network level
  lines.push("(deny network-outbound (remote unix-socket))");
  return lines.join("\n") + "\n";
}
