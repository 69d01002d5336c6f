import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { homedir } from "node:os";
import { basename } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { bwrapArgs } from "./bwrap-args.js";
import { checkSandbox, type SandboxStatus } from "./check-sandbox.js";
import { startConnectProxy, type ConnectProxy } from "./connect-proxy.js";
import { createPidsCgroup } from "./pids-cgroup.js";
import { childEnvironment, defaultMaxProcesses, networkLevel, sandboxProxyPort, type PluginProcessSpec } from "./plugin-process-spec.js";
import { startProxyBridge } from "./proxy-bridge.js";
import { resolveSandboxPaths } from "./resolve-sandbox-paths.js";
import { sbplProfile } from "./sbpl-profile.js";
import { buildSeccompFilter, type SeccompArch } from "./seccomp-filter.js";

let warnedNoCap = false;

/**
 * The one way a plugin process (hook command, MCP server, LSP server, Bash tool) is started. Returns the
 * child with stdin/stdout/stderr pipes. Linux: hardened bubblewrap + seccomp + a process cap; macOS:
 * sandbox-exec; elsewhere, or when the sandbox cannot work, E_SANDBOX_UNAVAILABLE unless the user chose
 * sandbox "off" (then it runs bare, with exactly spec.env, and warns on every start).
 */
export async function spawnPluginProcess(spec: PluginProcessSpec): Promise<ChildProcess> {
  const warn = spec.onWarning ?? ((line: string) => process.stderr.write(`agent: warning: ${line}\n`));
  const name = spec.pluginId ?? basename(spec.pluginRoot);
  const paths = resolveSandboxPaths(spec);
  const args = spec.args ?? [];
  if (spec.sandbox === "off") {
    warn(`${name}: starting \`${spec.command}\` WITHOUT a sandbox (sandbox: "off"); it can read your files and secrets and use the network`);
    return spawn(spec.command, args, { cwd: paths.cwd, env: childEnvironment(spec), stdio: "pipe" });
  }
  const status = await checkSandbox();
  if (!status.available) throw unavailable(name, status);
  const level = networkLevel(spec.permissions);

  if (status.mechanism === "sandbox-exec") {
    if (level.kind === "allowlist")
      throw new AgentError("E_SANDBOX_UNAVAILABLE", `${name} declares a network allowlist, which agent cannot enforce on macOS yet`, { hint: 'Ask for network "none" or "full", or set sandbox "off" in your user settings.' });
    const profile = sbplProfile({ ...paths, home: homedir(), hidden: paths.hidden, readOnly: paths.readOnly, network: level });
    return spawn("/usr/bin/sandbox-exec", ["-p", profile, "--", spec.command, ...args], { cwd: paths.cwd, env: childEnvironment(spec), stdio: "pipe" });
  }

  if (level.kind === "allowlist" && !status.proxyBridge)
    throw new AgentError("E_SANDBOX_UNAVAILABLE", `${name} declares a network allowlist (${level.allow.join(", ")}), but socat/nsenter are missing`, { hint: "sudo apt-get install -y socat util-linux" });
  const root = process.getuid?.() === 0;
  const maxProcesses = spec.maxProcesses ?? defaultMaxProcesses;
  const cgroup = root ? createPidsCgroup(maxProcesses) : undefined;
  if (root && !cgroup && !warnedNoCap) {
    warnedNoCap = true;
    warn("plugin processes have no process cap: agent runs as root and cannot create a pids cgroup");
  }
  const proxy = level.kind === "allowlist" ? await startConnectProxy(level.allow) : undefined;
  // with a proxy, bwrap reports the sandbox's pid on --info-fd and waits on --block-fd before it runs
  // the command: the host starts the proxy bridge in the sandbox's network namespace, then releases it
  const rendezvous = proxy !== undefined;
  const argv = bwrapArgs({
    command: spec.command,
    args,
    cwd: paths.cwd,
    env: childEnvironment(spec, proxy ? sandboxProxyPort : undefined),
    pluginRoot: paths.pluginRoot,
    dataDir: paths.dataDir,
    workspace: paths.workspace,
    hidden: paths.hidden,
    readOnly: paths.readOnly,
    shareNet: level.kind === "full",
    seccompFd: 3,
    ...(rendezvous ? { infoFd: 4, blockFd: 5 } : {}),
    ...(root ? {} : { nprocLimit: maxProcesses }),
  });
  const options = { env: {}, stdio: rendezvous ? ["pipe", "pipe", "pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "pipe"] } satisfies SpawnOptions;
  // bwrap starts inside the process cap's cgroup: it and everything in the sandbox are counted
  const child = cgroup ? cgroup.spawn(status.bwrap!.path, argv, options) : spawn(status.bwrap!.path, argv, options);
  const seccompPipe = child.stdio[3] as NodeJS.WritableStream;
  seccompPipe.on("error", () => {}); // bwrap may die first; its exit status and stderr say why
  seccompPipe.end(seccompFilter(status.seccomp ? status.seccomp.arch : "x64"));

  let bridge: ChildProcess | undefined;
  child.once("exit", () => {
    bridge?.kill("SIGKILL");
    void proxy?.close();
    cgroup?.remove();
  });
  if (proxy) {
    try {
      const pid = await sandboxPid(child);
      bridge = await startProxyBridge({ sandboxPid: pid, proxySocket: proxy.socketPath, port: sandboxProxyPort, ...status.proxyBridge! });
      const release = (child.stdio as unknown as NodeJS.WritableStream[])[5]!;
      release.on("error", () => {});
      release.end("go");
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }
  return child;
}

const seccompFilters = new Map<SeccompArch, Buffer>();

/** The seccomp program's bytes, built once per architecture. */
function seccompFilter(arch: SeccompArch): Buffer {
  let filter = seccompFilters.get(arch);
  if (!filter) seccompFilters.set(arch, (filter = buildSeccompFilter(arch)));
  return filter;
}

/** Reads bwrap's --info-fd JSON for the host pid of the sandbox's init process. */
function sandboxPid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const info = child.stdio[4] as NodeJS.ReadableStream;
    let text = "";
    const onExit = () => reject(new AgentError("E_SANDBOX_UNAVAILABLE", "bubblewrap exited before the sandbox started"));
    child.once("exit", onExit);
    info.on("data", (d: Buffer) => {
      text += d.toString();
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match) {
        child.off("exit", onExit);
        resolve(Number(match[1]));
      }
    });
  });
}

function unavailable(name: string, status: SandboxStatus): AgentError {
  return new AgentError("E_SANDBOX_UNAVAILABLE", `Refusing to start ${name}'s process without a sandbox: ${status.problems.map((p) => p.what).join("; ")}`, {
    hint: `${status.problems.map((p) => p.fix).join("\n")}\nTo run plugins unconfined at your own risk, set "sandbox": "off" in your user settings or pass --no-sandbox.`,
    details: { platform: status.platform, mechanism: status.mechanism, problems: status.problems },
  });
}
