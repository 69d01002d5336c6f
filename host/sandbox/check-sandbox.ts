import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { buildSeccompFilter, seccompArchFor, type SeccompArch } from "./seccomp-filter.js";
import { pidsCgroupParent } from "./pids-cgroup.js";
import { alwaysHiddenPaths } from "./plugin-process-spec.js";
import { hiddenNodeProblem } from "./resolve-sandbox-paths.js";

export interface SandboxProblem {
  what: string;
  /** the command (or setting) that fixes it */
  fix: string;
}

export interface SandboxStatus {
  platform: NodeJS.Platform;
  mechanism: "bubblewrap" | "sandbox-exec" | "none";
  /** true when plugin processes can be started sandboxed */
  available: boolean;
  bwrap?: { path: string; version: string };
  userNamespaces?: boolean;
  seccomp?: { arch: SeccompArch } | false;
  /** how fork bombs are capped: a pids cgroup (root), RLIMIT_NPROC inside the user namespace, or not at all */
  processCap: "cgroup" | "rlimit" | "none";
  /** tools the allowlist network level needs (socat, nsenter); absent = allowlist unavailable */
  proxyBridge?: { socat: string; nsenter: string };
  /** the test sandbox's outcome; `remembered` when an earlier check of this boot passed with the same bwrap and settings */
  preflight?: { ok: boolean; stderr: string; ms: number; remembered?: boolean };
  /** each makes `available` false */
  problems: SandboxProblem[];
  /** degraded but usable */
  warnings: SandboxProblem[];
}

export interface CheckSandboxOptions {
  /** bwrap to use instead of the one on PATH (AGENT_BWRAP) */
  bwrap?: string;
  /** run the checks again instead of returning the cached result */
  refresh?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Where a passing check is remembered until the next boot (keyed on the boot, the user, the bwrap
   * binary and the kernel's user-namespace settings): later sessions then start no test sandbox. Only
   * a pass is remembered, so the file can never switch the sandbox off; a failing check always runs.
   */
  cacheFile?: string;
  /** check even when a pass is remembered, and remember the outcome: a pass is written, a failure forgets the file (agent doctor) */
  recheck?: boolean;
}

let cached: Promise<SandboxStatus> | undefined;

/** Says whether plugin processes can be sandboxed here and, when not, exactly why and how to fix it. Cached. */
export function checkSandbox(options: CheckSandboxOptions = {}): Promise<SandboxStatus> {
  if (options.bwrap || options.env) return runChecks(options);
  if (!cached || options.refresh) cached = runChecks(options);
  return cached;
}

export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // the caller's PATH decides (so PATH without bwrap means no bwrap); the system dirs only when PATH is unset
  const dirs = (env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(delimiter);
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

async function runChecks(options: CheckSandboxOptions): Promise<SandboxStatus> {
  const env = options.env ?? process.env;
  const status: SandboxStatus = { platform: process.platform, mechanism: "none", available: false, processCap: "none", problems: [], warnings: [] };
  if (process.platform === "darwin") {
    const path = "/usr/bin/sandbox-exec";
    status.mechanism = "sandbox-exec";
    try {
      accessSync(path, constants.X_OK);
    } catch {
      status.problems.push({ what: `${path} is missing`, fix: "reinstall macOS's sandbox-exec, or set sandbox: \"off\" in ~/.agent/settings.json (or pass --no-sandbox) to run plugins unconfined" });
    }
    status.warnings.push({ what: "no process cap on macOS", fix: "none needed for most plugins" });
    status.available = status.problems.length === 0;
    return status;
  }
  if (process.platform !== "linux") {
    status.problems.push({ what: `no sandbox for ${process.platform}: agent confines plugins with bubblewrap (Linux) or sandbox-exec (macOS)`, fix: "run agent on Linux or macOS, or pass --no-sandbox (user config sandbox: \"off\") to run plugins unconfined" });
    return status;
  }
  status.mechanism = "bubblewrap";
  const arch = seccompArchFor();
  if (!arch) status.problems.push({ what: `no seccomp filter for CPU architecture ${process.arch} (x64 and arm64 only)`, fix: "run agent on x86_64 or aarch64, or pass --no-sandbox" });
  const userns = userNamespaceSettings();
  status.userNamespaces = checkUserNamespaces(userns, status.problems);
  const bwrap = options.bwrap ?? env.AGENT_BWRAP ?? findExecutable("bwrap", env);
  if (!bwrap) {
    status.problems.push({ what: "bubblewrap (bwrap) is not installed", fix: "sudo apt-get install -y bubblewrap   (Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap)" });
    if (options.cacheFile) rmSync(options.cacheFile, { force: true });
  } else {
    const key = options.cacheFile && arch ? passKey(bwrap, arch, userns) : undefined;
    const passed = key && !options.recheck ? rememberedPass(options.cacheFile!, key) : undefined;
    if (passed) {
      status.bwrap = { path: bwrap, version: passed.version };
      status.preflight = { ok: true, stderr: "", ms: 0, remembered: true };
      status.seccomp = { arch: arch! };
    } else {
      await preflightChecks(bwrap, arch, status, key ? (version) => rememberPass(options.cacheFile!, key, version) : undefined);
      if (options.cacheFile && !status.preflight?.ok) rmSync(options.cacheFile, { force: true });
    }
  }
  const root = process.getuid?.() === 0;
  if (!root) status.processCap = "rlimit";
  else if (pidsCgroupParent()) status.processCap = "cgroup";
  else status.warnings.push({ what: "no process cap: running as root without a writable pids cgroup (RLIMIT_NPROC does not bind root)", fix: "run agent as a regular user, or give it a writable pids cgroup" });
  const socat = findExecutable("socat", env);
  const nsenter = findExecutable("nsenter", env);
  if (socat && nsenter) status.proxyBridge = { socat, nsenter };
  else status.warnings.push({ what: `network allowlists are unavailable: ${[socat ? "" : "socat", nsenter ? "" : "nsenter"].filter(Boolean).join(" and ")} missing`, fix: "sudo apt-get install -y socat util-linux" });
  const nodeProblem = hiddenNodeProblem(process.execPath, alwaysHiddenPaths);
  if (nodeProblem) status.warnings.push({ what: `plugins that run \`node\` will not find it: ${nodeProblem}`, fix: "install Node.js system-wide (e.g. sudo apt-get install -y nodejs) or under a dir like ~/.nvm/versions/node/<version>" });
  status.available = status.problems.length === 0;
  return status;
}

/** Runs `bwrap --version` and a test sandbox (every namespace, the seccomp filter) and records both. */
async function preflightChecks(bwrap: string, arch: SeccompArch | undefined, status: SandboxStatus, onPass: ((version: string) => void) | undefined): Promise<void> {
  // both run at once: a session's first plugin process waits for this check
  const preflightArgs = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--unshare-user", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv", "--seccomp", "3", "--", "true"];
  const started = performance.now();
  const [version, preflight] = await Promise.all([run(bwrap, ["--version"], undefined), arch ? run(bwrap, preflightArgs, buildSeccompFilter(arch)) : undefined]);
  if (version.code !== 0) {
    status.problems.push({ what: `${bwrap} does not run: ${version.stderr.trim() || `exit ${version.code}`}`, fix: "sudo apt-get install --reinstall -y bubblewrap" });
    return;
  }
  status.bwrap = { path: bwrap, version: version.stdout.trim().replace(/^bubblewrap\s*/, "") };
  if (!preflight) return;
  status.preflight = { ok: preflight.code === 0, stderr: preflight.stderr.trim(), ms: Math.round((performance.now() - started) * 10) / 10 };
  status.seccomp = preflight.code === 0 ? { arch: arch! } : false;
  if (preflight.code !== 0) status.problems.push({ what: `bubblewrap cannot create a sandbox here: ${preflight.stderr.trim() || `exit ${preflight.code}`}`, fix: preflightFix(preflight.stderr) });
  else onPass?.(status.bwrap.version);
}

/** A /proc value, trimmed; undefined where the kernel has no such setting. */
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The kernel settings that decide whether an unprivileged user may create user namespaces. */
interface UserNamespaceSettings {
  maxUserNamespaces: string | undefined;
  unprivilegedClone: string | undefined;
  apparmorRestrict: string | undefined;
}

function userNamespaceSettings(): UserNamespaceSettings {
  return {
    maxUserNamespaces: readProc("/proc/sys/user/max_user_namespaces"),
    unprivilegedClone: readProc("/proc/sys/kernel/unprivileged_userns_clone"),
    apparmorRestrict: readProc("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
  };
}

/** What a remembered pass is only good for: this boot, this user, this bwrap binary, these kernel settings. */
function passKey(bwrap: string, arch: SeccompArch, userns: UserNamespaceSettings): string | undefined {
  const bootId = readProc("/proc/sys/kernel/random/boot_id");
  const binary = statSync(bwrap, { throwIfNoEntry: false });
  if (!bootId || !binary) return undefined;
  const settings = [userns.maxUserNamespaces, userns.unprivilegedClone, userns.apparmorRestrict].map((value) => value ?? null);
  return JSON.stringify([bootId, process.getuid?.(), arch, bwrap, binary.ino, binary.size, binary.mtimeMs, ...settings]);
}

function rememberedPass(file: string, key: string): { version: string } | undefined {
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { key?: unknown; version?: unknown };
    return saved.key === key && typeof saved.version === "string" ? { version: saved.version } : undefined;
  } catch {
    return undefined;
  }
}

function rememberPass(file: string, key: string, version: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    statSync(dirname(file)); // the home exists: a check never creates it
    writeFileSync(temp, `${JSON.stringify({ key, version })}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // not remembered: the next session checks again
  }
}

function checkUserNamespaces(userns: UserNamespaceSettings, problems: SandboxProblem[]): boolean {
  let ok = true;
  if (userns.maxUserNamespaces === "0") {
    problems.push({ what: "user namespaces are disabled (user.max_user_namespaces = 0)", fix: "sudo sysctl -w user.max_user_namespaces=15000" });
    ok = false;
  }
  if (userns.unprivilegedClone === "0" && process.getuid?.() !== 0) {
    problems.push({ what: "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)", fix: "sudo sysctl -w kernel.unprivileged_userns_clone=1" });
    ok = false;
  }
  if (userns.apparmorRestrict === "1" && process.getuid?.() !== 0) {
    problems.push({ what: "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1)", fix: "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0   (or add an AppArmor profile that allows userns for /usr/bin/bwrap)" });
    ok = false;
  }
  return ok;
}

function preflightFix(stderr: string): string {
  if (/namespace|uid map|setting up uid/i.test(stderr))
    return "enable unprivileged user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1 (Debian) or kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu); in a container, run it with --security-opt seccomp=unconfined or allow unshare";
  if (/seccomp/i.test(stderr)) return "use a kernel built with CONFIG_SECCOMP_FILTER=y";
  return "run `bwrap --ro-bind / / --unshare-all --unshare-user --cap-drop ALL true` to see the failure, or pass --no-sandbox to run plugins unconfined";
}

function run(command: string, args: string[], fd3: Buffer | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe", fd3 ? "pipe" : "ignore"], env: {} });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    if (fd3) {
      const seccompPipe = child.stdio[3] as NodeJS.WritableStream;
      seccompPipe.on("error", () => {}); // bwrap may exit before reading it; its exit status says why
      seccompPipe.end(fd3);
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + error.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
