import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginProcessSpec, SandboxMode } from "../../host/sandbox/plugin-process-spec.js";
import { spawnPluginProcess } from "../../host/sandbox/spawn-plugin-process.js";
import { requireTool } from "../support/real-parts.js";
import { escapeChecks, syscallProbe, type EscapeTargets, type HostView } from "./escape/escape-checks.js";

/**
 * A hostile plugin — a hook (`sh -c`), an MCP server (node) and a Bash tool call (`bash -c`), all started
 * through spawnPluginProcess — tries every escape in escape/escape-checks.ts under the real bubblewrap
 * sandbox. Each attempt is run again with sandbox "off" as a positive control: it must get out there,
 * or the probe proves nothing.
 */
const repo = resolve(import.meta.dirname, "../..");
const token = randomBytes(6).toString("hex");
const canaries = { ssh: `SSH-KEY-${token}`, state: `STATE-${token}`, secret: `sk-live-${token}`, other: `OTHER-PLUGIN-${token}`, env: `HOST-ENV-${token}` };
const canaryName = `AGENT_ESCAPE_CANARY_${token.toUpperCase()}`;
const maxProcesses = 64;
const styles = ["hook", "mcp-server", "bash-tool"] as const;
type Style = (typeof styles)[number];

let base: string;
let fakeHome: string;
let agentHome: string;
let pluginRoot: string;
let dataDir: string;
let workspace: string;
let tcpLure: Server;
let unixLure: Server;
let victim: ChildProcess;
let dbusPath: string;
/** checks whose unsandboxed attempt cannot succeed on this machine either, with the reason */
const noControlHere = (check: string): string | undefined =>
  check === "read-proc-1-environ" && hostProc1Environ === ""
    ? "n/a (the host itself cannot read it here)"
    : check === "write-etc" && process.getuid?.() !== 0
      ? "n/a (only root can write /etc)"
      : undefined;
const hostProc1Environ = (() => {
  try {
    return readFileSync("/proc/1/environ", "utf8");
  } catch {
    return "";
  }
})();

function lure(text: string): Server {
  return createServer((socket) => {
    socket.on("error", () => {});
    socket.end(text);
  });
}

function sleeper(seconds: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): ChildProcess {
  const child = spawn("sleep", [seconds], { stdio: "ignore", env });
  child.on("error", () => {});
  return child;
}

function pidsRunning(argv: string[]): number[] {
  const want = argv.join("\0");
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0$/, "") === want;
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  requireTool("bwrap");
  if (!existsSync("/usr/bin/python3")) throw new Error("the io_uring and keyring attempts make raw syscalls with /usr/bin/python3: apt-get install -y python3");
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!bus) throw new Error("the escape suite needs a D-Bus session bus to attack: run it under scripts/keyring-session.sh (npm test does)");
  const match = /unix:(path|abstract)=([^,;]+)/.exec(bus);
  if (!match) throw new Error(`cannot find a unix socket in DBUS_SESSION_BUS_ADDRESS=${bus}`);
  dbusPath = match[1] === "abstract" ? `\0${match[2]}` : match[2]!;

  // outside /home, /root and /tmp, so only hiddenPaths (the temp HOME and AGENT_HOME) keep these secret
  mkdirSync(join(repo, "node_modules/.cache"), { recursive: true });
  base = mkdtempSync(join(repo, "node_modules/.cache/agent-escape-"));
  fakeHome = join(base, "home");
  mkdirSync(join(fakeHome, ".ssh"), { recursive: true });
  writeFileSync(join(fakeHome, ".ssh/id_ed25519"), `-----BEGIN OPENSSH PRIVATE KEY-----\n${canaries.ssh}\n`, { mode: 0o600 });
  agentHome = join(base, "agent-home");
  mkdirSync(join(agentHome, "plugins/data/other-m"), { recursive: true });
  writeFileSync(join(agentHome, "settings.json"), JSON.stringify({ enabledPlugins: { "hostile@m": true }, note: canaries.state }));
  writeFileSync(join(agentHome, ".credentials.json"), JSON.stringify({ pluginSecrets: { "other@m": { TOKEN: canaries.secret } } }), { mode: 0o600 });
  writeFileSync(join(agentHome, "plugins/data/other-m/token.txt"), canaries.other);
  pluginRoot = join(agentHome, "plugins/cache/m/hostile/1.0.0");
  mkdirSync(pluginRoot, { recursive: true });
  for (const file of ["hostile-mcp-server.mjs", "dial.mjs"]) copyFileSync(join(import.meta.dirname, "escape", file), join(pluginRoot, file));
  dataDir = join(agentHome, "plugins/data/hostile-m");
  workspace = join(base, "workspace");
  mkdirSync(workspace);
  writeFileSync(join(workspace, "README.md"), "the user's project\n");

  tcpLure = lure("LURE-TCP\n");
  await new Promise<void>((r) => tcpLure.listen(0, "127.0.0.1", r));
  unixLure = lure("LURE-UNIX\n");
  await new Promise<void>((r) => unixLure.listen(join(base, "lure.sock"), r));
  victim = sleeper("600", { PATH: process.env.PATH, [canaryName]: canaries.env });
  process.env[canaryName] = canaries.env;
});

afterAll(async () => {
  delete process.env[canaryName];
  victim?.kill("SIGKILL");
  await new Promise((r) => tcpLure?.close(r));
  await new Promise((r) => unixLure?.close(r));
  if (base) rmSync(base, { recursive: true, force: true });
  for (const f of readdirSync("/etc").filter((n) => n.startsWith(`agent-escape-${token}`))) rmSync(join("/etc", f), { force: true });
});

interface Outcome {
  check: string;
  style: Style;
  escaped: boolean;
  output: string;
}

function processSpec(style: Style, sandbox: SandboxMode, script?: string): PluginProcessSpec {
  const common = {
    env: { CLAUDE_PLUGIN_ROOT: pluginRoot, CLAUDE_PLUGIN_DATA: dataDir, CLAUDE_PROJECT_DIR: workspace },
    pluginRoot,
    dataDir,
    workspace: { path: workspace, access: "read" as const },
    sandbox,
    pluginId: "hostile@m",
    hiddenPaths: [fakeHome, agentHome],
    maxProcesses,
    onWarning: () => {},
  };
  if (style === "mcp-server") return { ...common, command: "node", args: [join(pluginRoot, "hostile-mcp-server.mjs")] };
  if (style === "hook") return { ...common, command: "sh", args: ["-c", script!] };
  return { ...common, command: "bash", args: ["-c", script!], cwd: workspace };
}

function collect(child: ChildProcess, stdin: string, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve) => {
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.stdin!.on("error", () => {});
    child.stdin!.end(stdin);
  });
}

/** Runs every check in one style, sandboxed or not, and judges each from the host. */
async function attack(style: Style, sandbox: SandboxMode): Promise<Outcome[]> {
  const target = sleeper("601");
  const t: EscapeTargets = {
    sshKey: join(fakeHome, ".ssh/id_ed25519"),
    agentSettings: join(agentHome, "settings.json"),
    secretsFile: join(agentHome, ".credentials.json"),
    otherPluginFile: join(agentHome, "plugins/data/other-m/token.txt"),
    homeFile: join(fakeHome, `.bashrc-escape-${style}`),
    workspaceFile: join(workspace, `escape-${style}`),
    pluginRootFile: join(pluginRoot, `escape-${style}`),
    etcFile: `/etc/agent-escape-${token}-${style}`,
    tcpPort: (tcpLure.address() as { port: number }).port,
    dbusPath,
    unixLure: join(base, "lure.sock"),
    canaryName,
    victimPid: victim.pid!,
    targetPid: target.pid!,
    spawnCount: 200,
    processCap: maxProcesses,
    straySeconds: `86${Math.floor(Math.random() * 1e6)}`,
  };
  const host: HostView = {
    canaries,
    proc1Environ: hostProc1Environ,
    exists: existsSync,
    targetKilled: () => target.exitCode !== null || target.signalCode !== null,
    strayAlive: () => pidsRunning(["sleep", t.straySeconds]).length > 0,
  };
  const outcomes: Outcome[] = [];
  const outputs = new Map<string, string>();
  if (style === "mcp-server") {
    const server = await spawnPluginProcess(processSpec(style, sandbox));
    const pending = new Map<number, (text: string) => void>();
    let buffer = "";
    server.stdout!.on("data", (d) => {
      buffer += d;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const msg = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        pending.get(msg.id)?.(msg.result.content?.[0]?.text ?? JSON.stringify(msg.result));
      }
    });
    let stderr = "";
    server.stderr!.on("data", (d) => (stderr += d));
    const closed = new Promise((r) => server.on("close", r));
    let id = 0;
    const call = (method: string, params: unknown) =>
      new Promise<string>((resolve, reject) => {
        const n = ++id;
        const timer = setTimeout(() => reject(new Error(`MCP ${method} got no answer: ${stderr}`)), 15_000);
        pending.set(n, (text) => (clearTimeout(timer), resolve(text)));
        server.stdin!.write(JSON.stringify({ jsonrpc: "2.0", id: n, method, params }) + "\n");
      });
    await call("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "agent", version: "0" } });
    for (const check of escapeChecks) outputs.set(check.name, await call("tools/call", { name: "probe", arguments: { check: check.name, targets: { ...t, syscallProbe } } }));
    server.stdin!.end();
    server.kill("SIGTERM");
    await closed;
  } else {
    for (const check of escapeChecks) {
      const child = await spawnPluginProcess(processSpec(style, sandbox, check.shell(t, style === "hook" ? "sh" : "bash")));
      outputs.set(check.name, await collect(child, style === "hook" ? JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash" }) : ""));
    }
  }
  await delay(300); // let a killed target be reaped and a stray sleep show up
  for (const check of escapeChecks) {
    const output = outputs.get(check.name)!;
    outcomes.push({ check: check.name, style, escaped: check.escaped(output, t, host), output });
  }
  target.kill("SIGKILL");
  for (const pid of pidsRunning(["sleep", t.straySeconds])) process.kill(pid, "SIGKILL");
  for (const f of [t.homeFile, t.workspaceFile, t.pluginRootFile, t.etcFile]) rmSync(f, { force: true });
  return outcomes;
}

describe("escape suite: a hostile plugin under the real bubblewrap sandbox", () => {
  const sandboxed: Outcome[] = [];
  const bare: Outcome[] = [];

  beforeAll(async () => {
    for (const style of styles) {
      sandboxed.push(...(await attack(style, "auto")));
      bare.push(...(await attack(style, "off")));
    }
    const rows = sandboxed.map((o, i) => {
      const control = bare[i]!;
      return `${o.style.padEnd(10)} ${o.check.padEnd(26)} sandboxed: ${o.escaped ? "ESCAPED" : "blocked"}   without sandbox: ${control.escaped ? "got out (probe works)" : (noControlHere(o.check) ?? "stayed in")}`;
    });
    const escapes = sandboxed.filter((o) => o.escaped).length;
    console.log(`${rows.join("\n")}\nescapes: ${escapes}/${sandboxed.length}`);
  }, 300_000);

  it("blocks every attempt from every kind of plugin process (escapes: 0/N)", () => {
    expect(sandboxed).toHaveLength(escapeChecks.length * styles.length);
    const escaped = sandboxed.filter((o) => o.escaped).map((o) => `${o.style} ${o.check}: ${o.output.trim().slice(0, 200)}`);
    expect(escaped).toEqual([]);
  });

  it("each attempt gets out without the sandbox, so each probe is proven to work", () => {
    const unproven = bare
      .filter((o) => !o.escaped)
      .filter((o) => noControlHere(o.check) === undefined)
      .map((o) => `${o.style} ${o.check}: ${o.output.trim().slice(0, 200)}`);
    expect(unproven).toEqual([]);
  });
});
