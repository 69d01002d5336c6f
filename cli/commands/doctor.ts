import type { CommandSpec, Style } from "../command-spec.js";
import type { SandboxStatus } from "../../host/sandbox/check-sandbox.js";

interface Check {
  ok: boolean;
  /** one line for people */
  summary: string;
  /** what to run to fix it */
  hints: string[];
}

interface StateFileCheck {
  file: string;
  status: "ok" | "missing" | "invalid";
  error?: string;
}

export interface DoctorReport {
  ok: boolean;
  sandbox: Check & {
    mechanism: SandboxStatus["mechanism"];
    available: boolean;
    mode: "auto" | "off";
    bwrap?: SandboxStatus["bwrap"];
    userNamespaces?: boolean;
    seccomp?: SandboxStatus["seccomp"];
    processCap: SandboxStatus["processCap"];
    networkAllowlist: boolean;
    preflightMs?: number;
    problems: SandboxStatus["problems"];
    warnings: SandboxStatus["warnings"];
  };
  keychain: Check & { store: "keychain" | "file"; mode: string; reason?: string; secretsFile: string };
  node: Check & { version: string };
  git: Check & { version?: string; path?: string };
  state: Check & { home: string; files: StateFileCheck[] };
}

export const command: CommandSpec<DoctorReport> = {
  path: ["doctor"],
  description: "check that plugins can run here: sandbox, keychain, git, node and the state files (exit 1 with hints when something is wrong)",
  json: true,
  examples: ["agent doctor", "agent doctor --json"],
  async run(ctx) {
    const [{ checkSandbox, findExecutable }, { keychainUnavailableReason }, { stateContext }, { sandboxCheckFile }, { packageRoot }, files, schemas, { execFile }] = await Promise.all([
      import("../../host/sandbox/check-sandbox.js"),
      import("../../installer/secrets/open-secret-store.js"),
      import("../../installer/state-context.js"),
      import("../../installer/state-paths.js"),
      import("../version.js"),
      import("../../installer/state/state-files.js"),
      import("../../schemas/lockfile.js"),
      import("node:child_process"),
    ]);
    const { paths } = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const gitPath = findExecutable("git", ctx.env);
    const gitVersion = new Promise<string | undefined>((resolve) => {
      if (!gitPath) return resolve(undefined);
      execFile(gitPath, ["--version"], { env: { PATH: ctx.env.PATH ?? "" }, timeout: 10_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim().replace(/^git version\s*/, "")));
    });
    // always a fresh check; its outcome replaces what `agent run` remembered
    const cacheFile = sandboxCheckFile({ home: ctx.global.home, env: ctx.env });
    const [status, keychainReason, git] = await Promise.all([checkSandbox({ env: ctx.env, cacheFile, recheck: true }), keychainUnavailableReason({ env: ctx.env }), gitVersion]);

    const stateFiles: StateFileCheck[] = [];
    const probe = async (file: string, read: () => Promise<unknown>) => {
      const { existsSync } = await import("node:fs");
      if (!existsSync(file)) return stateFiles.push({ file, status: "missing" });
      try {
        await read();
        stateFiles.push({ file, status: "ok" });
      } catch (error) {
        stateFiles.push({ file, status: "invalid", error: (error as Error).message });
      }
    };
    let userSandbox = "auto" as "auto" | "off";
    await probe(paths.settings, async () => (userSandbox = (await files.loadSettings(paths.settings)).sandbox ?? "auto"));
    await probe(paths.knownMarketplaces, () => files.loadKnownMarketplaces(paths));
    await probe(paths.installedPlugins, () => files.loadInstalledPlugins(paths));
    await probe(paths.userLockfile, async () => schemas.lockfileSchema.parse(JSON.parse((await import("node:fs")).readFileSync(paths.userLockfile, "utf8"))));
    for (const managed of paths.managedSettings) await probe(managed, () => files.loadManagedSettings({ ...paths, managedSettings: [managed] }));
    const invalid = stateFiles.filter((f) => f.status === "invalid");

    const sandboxHints = status.problems.map((p) => p.fix);
    if (userSandbox === "off") sandboxHints.push(`remove "sandbox": "off" from ${paths.settings} to confine plugin processes again`);
    const nodeMajor = Number(process.versions.node.split(".")[0]);
    const nodeMinor = Number(process.versions.node.split(".")[1]);
    const nodeOk = nodeMajor > 20 || (nodeMajor === 20 && nodeMinor >= 11);
    const secretMode = ctx.env.AGENT_SECRET_STORE ?? "auto";

    const report: DoctorReport = {
      ok: false,
      sandbox: {
        ok: status.available,
        summary: status.available
          ? `${status.mechanism}${status.bwrap ? ` ${status.bwrap.version}` : ""} works${userSandbox === "off" ? ', but your settings turn it OFF ("sandbox": "off")' : ""}`
          : `plugin processes cannot be sandboxed: ${status.problems.map((p) => p.what).join("; ")}`,
        hints: sandboxHints,
        mechanism: status.mechanism,
        available: status.available,
        mode: userSandbox,
        ...(status.bwrap ? { bwrap: status.bwrap } : {}),
        ...(status.userNamespaces !== undefined ? { userNamespaces: status.userNamespaces } : {}),
        ...(status.seccomp !== undefined ? { seccomp: status.seccomp } : {}),
        processCap: status.processCap,
        networkAllowlist: Boolean(status.proxyBridge),
        ...(status.preflight ? { preflightMs: status.preflight.ms } : {}),
        problems: status.problems,
        warnings: status.warnings,
      },
      keychain: {
        ok: keychainReason === undefined,
        summary:
          keychainReason === undefined
            ? "the OS keychain stores sensitive plugin settings"
            : `the OS keychain is not usable (${keychainReason}); sensitive settings go to ${paths.secretsFile} (0600, unencrypted)`,
        hints:
          keychainReason === undefined
            ? []
            : ["start a Secret Service: gnome-keyring-daemon --unlock inside a D-Bus session (sudo apt-get install -y gnome-keyring dbus), or set AGENT_SECRET_STORE=file to accept the 0600 file"],
        store: keychainReason === undefined && secretMode !== "file" ? "keychain" : "file",
        mode: secretMode,
        ...(keychainReason !== undefined ? { reason: keychainReason } : {}),
        secretsFile: paths.secretsFile,
      },
      node: {
        ok: nodeOk,
        summary: `node ${process.version}${nodeOk ? "" : " is too old (agent needs 20.11 or later)"}`,
        hints: nodeOk ? [] : ["install Node.js 20.11 or later"],
        version: process.version,
      },
      git: {
        ok: git !== undefined,
        summary: git !== undefined ? `git ${git}` : gitPath ? `${gitPath} does not run` : "git is not installed (needed for git and github marketplaces)",
        hints: git !== undefined ? [] : ["sudo apt-get install -y git"],
        ...(git !== undefined ? { version: git } : {}),
        ...(gitPath ? { path: gitPath } : {}),
      },
      state: {
        ok: invalid.length === 0,
        summary: invalid.length === 0 ? `state files in ${paths.home} parse` : `${invalid.length} state file${invalid.length > 1 ? "s do" : " does"} not parse`,
        hints: invalid.map((f) => `fix or remove ${f.file}`),
        home: paths.home,
        files: stateFiles,
      },
    };
    report.ok = report.sandbox.ok && report.keychain.ok && report.node.ok && report.git.ok && report.state.ok;
    return { data: report, text: (s) => renderDoctor(report, s), exitCode: report.ok ? 0 : 1 };
  },
};

function renderDoctor(r: DoctorReport, s: Style): string {
  const lines: string[] = [];
  const row = (name: string, check: Check, extra: string[] = []) => {
    lines.push(`${check.ok ? s.ok : s.fail} ${s.bold(name.padEnd(9))} ${check.summary}`);
    for (const e of extra) lines.push(`    ${s.dim(e)}`);
    for (const h of check.hints) lines.push(`    ${s.yellow("fix:")} ${h}`);
  };
  const sb = r.sandbox;
  const sandboxDetails = sb.mechanism === "bubblewrap" && sb.available
    ? [
        `user namespaces: ${sb.userNamespaces ? "yes" : "no"} · seccomp: ${sb.seccomp ? sb.seccomp.arch : "no"} · process cap: ${sb.processCap === "cgroup" ? "pids cgroup" : sb.processCap === "rlimit" ? "RLIMIT_NPROC" : "none"} · network allowlist: ${sb.networkAllowlist ? "yes" : "no"}${sb.preflightMs !== undefined ? ` · preflight ${sb.preflightMs} ms` : ""}`,
      ]
    : [];
  row("sandbox", sb, [...sandboxDetails, ...sb.warnings.map((w) => `warning: ${w.what} (${w.fix})`)]);
  row("keychain", r.keychain);
  row("node", r.node);
  row("git", r.git);
  row("state", r.state, r.state.files.filter((f) => f.status === "invalid").map((f) => f.error ?? f.file));
  lines.push("", r.ok ? `${s.ok} all good` : `${s.fail} some checks failed`);
  return lines.join("\n");
}
