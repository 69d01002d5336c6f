import { execFile, execFileSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chmodSync, chownSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginProcessSpec } from "../../host/sandbox/plugin-process-spec.js";
import { spawnPluginProcess } from "../../host/sandbox/spawn-plugin-process.js";
import { requireTool } from "../support/real-parts.js";

/** The sandbox must not be over-strict: a plugin still does its job, and limits hold without hurting the host. */
const dir = mkdtempSync(join(tmpdir(), "agent-sandbox-works-"));
const pluginRoot = join(dir, "plugin");
const dataDir = join(dir, "data");
const workspace = join(dir, "workspace");
let web: Server;
let port: number;

beforeAll(async () => {
  requireTool("bwrap");
  mkdirSync(pluginRoot);
  mkdirSync(workspace);
  writeFileSync(join(pluginRoot, "hello.txt"), "from the plugin root\n");
  writeFileSync(join(workspace, "src.txt"), "workspace file\n");
  web = createServer((req, res) => res.end(`web says hi to ${req.headers.host}${req.url}\n`));
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  port = (web.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => web.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const spec = (script: string, over: Partial<PluginProcessSpec> = {}): PluginProcessSpec => ({
  command: "sh",
  args: ["-c", script],
  env: { CLAUDE_PLUGIN_ROOT: pluginRoot, CLAUDE_PLUGIN_DATA: dataDir },
  pluginRoot,
  dataDir,
  sandbox: "auto",
  pluginId: "works@m",
  onWarning: () => {},
  ...over,
});
function run(child: ChildProcess, timeoutMs = 20_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin!.end();
  });
}

describe("a sandboxed plugin can still do its job", () => {
  it("reads its root, writes and reads back its data dir, reads a read-only workspace, runs node, gets only its env", async () => {
    const r = await run(
      await spawnPluginProcess(
        spec('cat "$CLAUDE_PLUGIN_ROOT/hello.txt" && echo kept > "$CLAUDE_PLUGIN_DATA/state" && cat "$CLAUDE_PLUGIN_DATA/state" && cat src.txt && node -e "console.log(process.version)" && env | sort', {
          workspace: { path: workspace, access: "read" },
          cwd: workspace,
        }),
      ),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("from the plugin root\nkept\nworkspace file\nv");
    expect(readFileSync(join(dataDir, "state"), "utf8")).toBe("kept\n");
    const names = r.out.split("\n").filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split("=")[0]);
    expect(names.filter((n) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(n!)).sort()).toEqual(["CLAUDE_PLUGIN_DATA", "CLAUDE_PLUGIN_ROOT", "HOME", "PATH"]);
  });

  it("writes to the workspace when it declared workspace write", async () => {
    const r = await run(await spawnPluginProcess(spec("echo made > made.txt", { workspace: { path: workspace, access: "write" }, cwd: workspace })));
    expect(r.code).toBe(0);
    expect(readFileSync(join(workspace, "made.txt"), "utf8")).toBe("made\n");
  });

  it("a fork bomb hits the process cap, dies with its sandbox, and the host keeps working", async () => {
    const started = Date.now();
    const bomb = await spawnPluginProcess(spec("bomb() { bomb | bomb & }; bomb; sleep 3", { maxProcesses: 64 }));
    const r = await run(bomb, 15_000);
    expect(r.code).not.toBeNull(); // exited by itself (not killed by the timeout above)
    expect(r.err).toMatch(/Cannot fork|Resource temporarily unavailable/); // the cap, not the bomb's end, stopped it
    expect(Date.now() - started).toBeLessThan(15_000);
    // the host can still start processes, and nothing of the bomb is left
    expect(execFileSync("sh", ["-c", "echo alive"], { encoding: "utf8" })).toBe("alive\n");
    const leftover = execFileSync("sh", ["-c", "ps -eo args | grep -c '^sh -c bomb' || true"], { encoding: "utf8" }).trim();
    expect(leftover).toBe("0");
  });
});

/** Runs `script` (ESM) with the built host under `nodeBinary`, as agent would run from that node. */
function runBuiltHost(command: string, args: string[], script: string): Promise<string> {
  const built = fileURLToPath(new URL("../../dist/host/sandbox/spawn-plugin-process.js", import.meta.url));
  if (!existsSync(built)) throw new Error("this test runs the built host: run `npx tsc -p tsconfig.json` first (npm test does)");
  const source = `const { spawnPluginProcess } = await import(${JSON.stringify(built)});\n${script}`;
  return new Promise<string>((resolve, reject) =>
    execFile(command, [...args, "--input-type=module", "-e", source], { timeout: 30_000, env: { PATH: "/usr/bin:/bin" } }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
}

describe("agent running on a node installed under a hidden home (nvm, volta)", () => {
  it("a plugin's `node` is that node, mounted read-only, while the rest of the home stays hidden", async () => {
    const home = join(dir, "nvm-home");
    const bin = join(home, ".nvm/versions/node/v20.20.2/bin");
    mkdirSync(bin, { recursive: true });
    try {
      linkSync(process.execPath, join(bin, "node"));
    } catch {
      copyFileSync(process.execPath, join(bin, "node"));
    }
    chmodSync(join(bin, "node"), 0o755);
    writeFileSync(join(home, "secret.txt"), "home secret");
    const script = `
      const child = await spawnPluginProcess({ command: "sh", args: ["-c", ${JSON.stringify(`command -v node; node -e "console.log(6 * 7)"; echo x > ${bin}/x 2>/dev/null || echo read-only; cat ${home}/secret.txt 2>/dev/null || echo hidden`)}], env: {}, pluginRoot: ${JSON.stringify(pluginRoot)}, dataDir: ${JSON.stringify(dataDir)}, sandbox: "auto", onWarning: () => {} });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("close", () => console.log(out));
    `;
    const out = await runBuiltHost(join(bin, "node"), [], script);
    expect(out.trim().split("\n")).toEqual([join(bin, "node"), "42", "read-only", "hidden"]);
  });
});

describe("as a regular user (no pids cgroup)", () => {
  it("RLIMIT_NPROC, set inside the sandbox's user namespace, caps a fork storm at maxProcesses", async () => {
    const setpriv = requireTool("setpriv");
    const built = fileURLToPath(new URL("../../dist/host/sandbox/spawn-plugin-process.js", import.meta.url));
    if (!existsSync(built)) throw new Error("this test runs the built host as uid 65534: run `npx tsc -p tsconfig.json` first (npm test does)");
    const base = join(dir, "as-nobody");
    mkdirSync(join(base, "root"), { recursive: true });
    mkdirSync(join(base, "data"));
    chmodSync(dir, 0o755);
    chownSync(join(base, "data"), 65534, 65534);
    const script = `
      const { spawnPluginProcess } = await import(${JSON.stringify(built)});
      const storm = '( i=0; while [ $i -lt 200 ]; do (echo x; exec sleep 5 </dev/null >/dev/null 2>&1) & i=$((i+1)); done ) 2>/dev/null & sleep 2';
      const child = await spawnPluginProcess({ command: "sh", args: ["-c", "id -u; " + storm], env: {}, pluginRoot: ${JSON.stringify(join(base, "root"))}, dataDir: ${JSON.stringify(join(base, "data"))}, sandbox: "auto", maxProcesses: 40, onWarning: (w) => console.log("warning: " + w) });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("close", () => console.log(JSON.stringify({ uid: out.split("\\n")[0], forked: (out.match(/^x$/gm) ?? []).length })));
    `;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script], { timeout: 30_000, env: { PATH: process.env.PATH } }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const result = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(result.uid).toBe("65534");
    expect(result.forked).toBeGreaterThan(5); // it runs, and forks
    expect(result.forked).toBeLessThanOrEqual(40); // but no more than the cap
    expect(stdout).not.toContain("warning: plugin processes have no process cap");
  });
});

describe("network allowlist through the host proxy", () => {
  it("lets a listed host name through the proxy, refuses others with 403, and has no direct route", async () => {
    requireTool("socat");
    requireTool("nsenter");
    requireTool("curl");
    const script = [
      `curl -sS --max-time 5 http://localhost:${port}/allowed`,
      `curl -sS --max-time 5 -o /dev/null -w 'denied:%{http_code}\\n' http://127.0.0.1:${port}/denied`,
      `curl -sS --max-time 5 --noproxy '*' http://localhost:${port}/direct 2>&1 || echo direct:blocked`,
    ].join("; ");
    const r = await run(await spawnPluginProcess(spec(script, { permissions: { network: { allow: ["localhost"] } } })));
    expect(r.out).toContain(`web says hi to localhost:${port}/allowed`);
    expect(r.out).toContain("denied:403");
    expect(r.out).toContain("direct:blocked");
    expect(r.out).not.toContain("/direct");
  });

  it("network none has no route at all, even through a proxy variable the plugin sets itself", async () => {
    requireTool("curl");
    const r = await run(await spawnPluginProcess(spec(`curl -sS --max-time 3 -x http://127.0.0.1:3128 http://localhost:${port}/x 2>&1 || echo none:blocked`)));
    expect(r.out).toContain("none:blocked");
    expect(r.out).not.toContain("web says hi");
  });
});

describe("readOnlyPaths: a toolchain the user shares from inside a hidden dir", () => {
  it("is readable but not writable, while its hidden siblings stay hidden", async () => {
    const shared = join(dir, "toolchain");
    const sibling = join(dir, "private");
    mkdirSync(shared);
    mkdirSync(sibling);
    writeFileSync(join(shared, "tool.txt"), "shared tool\n");
    writeFileSync(join(sibling, "secret.txt"), "private\n");
    const script = `cat ${shared}/tool.txt; echo x > ${shared}/new.txt 2>/dev/null && echo wrote || echo read-only; cat ${sibling}/secret.txt 2>/dev/null || echo sibling:hidden`;
    const r = await run(await spawnPluginProcess(spec(script, { readOnlyPaths: [shared] })));
    expect(r.out).toBe("shared tool\nread-only\nsibling:hidden\n");
    expect(existsSync(join(shared, "new.txt"))).toBe(false);
    // positive control: without it, the toolchain is as hidden as everything else under the temp dir
    const hidden = await run(await spawnPluginProcess(spec(`cat ${shared}/tool.txt 2>/dev/null || echo tool:hidden`)));
    expect(hidden.out).toBe("tool:hidden\n");
  });
});
