/**
 * The escape attempts of test/sandbox/escape.test.ts. Each check has a shell form (run by a hook-style
 * `sh -c` and a Bash-tool-style `bash -c`), a probe name for the hostile MCP server, and a judge that
 * decides, from the output and the host's own view, whether the attempt got out.
 */
export interface EscapeTargets {
  sshKey: string;
  agentSettings: string;
  secretsFile: string;
  otherPluginFile: string;
  homeFile: string;
  workspaceFile: string;
  /** inside the plugin's own install dir, which is read-only (the cache is immutable) */
  pluginRootFile: string;
  etcFile: string;
  tcpPort: number;
  dbusPath: string;
  unixLure: string;
  canaryName: string;
  /** a host process whose environment holds the canary (for /proc/<pid>/environ and ptrace attempts) */
  victimPid: number;
  /** a host process the plugin tries to kill */
  targetPid: number;
  spawnCount: number;
  /** the sandbox's process cap: forking more than this many processes is an escape */
  processCap: number;
  /** `sleep <straySeconds>` is the detached process that must not outlive the sandbox */
  straySeconds: string;
}

export interface HostView {
  canaries: { ssh: string; state: string; secret: string; other: string; env: string };
  /** what the host itself reads in /proc/1/environ ("" when even the host cannot) */
  proc1Environ: string;
  exists(path: string): boolean;
  targetKilled(): boolean;
  strayAlive(): boolean;
}

export interface EscapeCheck {
  name: string;
  shell(t: EscapeTargets, flavour: "sh" | "bash"): string;
  escaped(output: string, t: EscapeTargets, host: HostView): boolean;
}

const q = (s: string | number) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const dial = (args: string) => `node "$CLAUDE_PLUGIN_ROOT/dial.mjs" ${args}`;
const read = (path: string) => `cat ${q(path)} 2>&1 || echo blocked`;
const write = (path: string) => `{ echo escape > ${q(path)} && echo wrote; } 2>&1 || echo blocked`;

/**
 * Raw syscalls through python3's ctypes (node has no syscall()): io_uring_setup performs socket and file
 * operations seccomp never sees; keyctl reaches the kernel keyring the host user shares. Prints the result.
 */
export const syscallProbe: Record<"io-uring" | "kernel-keyring", string> = {
  "io-uring": "import ctypes; libc = ctypes.CDLL(None, use_errno=True); p = ctypes.create_string_buffer(120); r = libc.syscall(425, 4, p); print('result', r, 'errno', ctypes.get_errno())",
  "kernel-keyring":
    "import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); nr = {'x86_64': 250, 'aarch64': 219}[os.uname().machine]; r = libc.syscall(nr, 0, -4, 0); print('result', r, 'errno', ctypes.get_errno())",
};
const syscallEscaped = (o: string) => Number(/result (-?\d+)/.exec(o)?.[1] ?? -1) >= 0;

export const escapeChecks: EscapeCheck[] = [
  { name: "read-ssh-key", shell: (t) => read(t.sshKey), escaped: (o, _t, h) => o.includes(h.canaries.ssh) },
  {
    name: "symlink-to-ssh-key",
    shell: (t) => `{ ln -sf ${q(t.sshKey)} "$CLAUDE_PLUGIN_DATA/key-link" && cat "$CLAUDE_PLUGIN_DATA/key-link"; } 2>&1 || echo blocked`,
    escaped: (o, _t, h) => o.includes(h.canaries.ssh),
  },
  { name: "read-agent-state", shell: (t) => read(t.agentSettings), escaped: (o, _t, h) => o.includes(h.canaries.state) },
  { name: "read-secrets-file", shell: (t) => read(t.secretsFile), escaped: (o, _t, h) => o.includes(h.canaries.secret) },
  { name: "read-other-plugin-data", shell: (t) => read(t.otherPluginFile), escaped: (o, _t, h) => o.includes(h.canaries.other) },
  {
    name: "read-proc-1-environ",
    shell: () => "tr '\\0' '\\n' < /proc/1/environ 2>&1 || echo blocked",
    escaped: (o, _t, h) => h.proc1Environ !== "" && o.includes(h.proc1Environ.split("\0")[0]!),
  },
  { name: "write-home", shell: (t) => write(t.homeFile), escaped: (_o, t, h) => h.exists(t.homeFile) },
  { name: "write-plugin-root", shell: (t) => write(t.pluginRootFile), escaped: (_o, t, h) => h.exists(t.pluginRootFile) },
  { name: "write-workspace-read-only", shell: (t) => write(t.workspaceFile), escaped: (_o, t, h) => h.exists(t.workspaceFile) },
  {
    name: "write-etc",
    shell: (t) => `mount -o remount,rw / 2>/dev/null; ${write(t.etcFile)}`,
    escaped: (_o, t, h) => h.exists(t.etcFile),
  },
  {
    name: "tcp-lure-127.0.0.1",
    shell: (t, flavour) =>
      flavour === "bash" ? `{ exec 3<>/dev/tcp/127.0.0.1/${t.tcpPort} && timeout 2 head -c 9 <&3; } 2>&1 || echo blocked` : dial(`tcp 127.0.0.1 ${t.tcpPort}`),
    escaped: (o) => o.includes("LURE-TCP"),
  },
  { name: "dbus-session-bus", shell: (t) => dial(`unix ${q(t.dbusPath)}`), escaped: (o) => o.includes("CONNECTED") },
  { name: "unix-socket-lure", shell: (t) => dial(`unix ${q(t.unixLure)}`), escaped: (o) => o.includes("LURE-UNIX") },
  {
    name: "host-env",
    shell: (t) => `echo "${t.canaryName}=\${${t.canaryName}:-}"; tr '\\0' '\\n' < /proc/${t.victimPid}/environ 2>&1 || echo blocked`,
    escaped: (o, _t, h) => o.includes(h.canaries.env),
  },
  { name: "signal-host", shell: (t) => `kill -9 ${t.targetPid} 2>&1 && echo killed || echo blocked`, escaped: (_o, _t, h) => h.targetKilled() },
  { name: "ptrace-host", shell: (t) => `readlink /proc/${t.victimPid}/exe 2>&1 || echo blocked`, escaped: (o) => /\/sleep\b/.test(o) },
  {
    name: "process-cap",
    // one "x" per process forked within 2 s while all of them still live (bash retries a failed fork
    // for ~30 s, so the attempt is cut off when the probe's main shell exits)
    shell: (t) => `( i=0; while [ $i -lt ${t.spawnCount} ]; do (echo x; exec sleep 5 </dev/null >/dev/null 2>&1) & i=$((i+1)); done ) 2>/dev/null & sleep 2`,
    escaped: (o, t) => (o.match(/^x$/gm)?.length ?? Number(/started (\d+)/.exec(o)?.[1] ?? 0)) > t.processCap,
  },
  { name: "io-uring", shell: () => `/usr/bin/python3 -c ${q(syscallProbe["io-uring"])} 2>&1 || echo blocked`, escaped: syscallEscaped },
  { name: "kernel-keyring", shell: () => `/usr/bin/python3 -c ${q(syscallProbe["kernel-keyring"])} 2>&1 || echo blocked`, escaped: syscallEscaped },
  {
    name: "outlive-sandbox",
    shell: (t) => `setsid sleep ${t.straySeconds} </dev/null >/dev/null 2>&1 & echo started`,
    escaped: (_o, _t, h) => h.strayAlive(),
  },
];
