#!/usr/bin/env node
// Sandbox overhead per plugin process start: `true` and a small node MCP-style server (until its first
// response line), each started through spawnPluginProcess sandboxed (bubblewrap + seccomp + process cap)
// and with sandbox "off", interleaved in the same run. Prints medians, the added ms and the ratio
// (target: under 10 ms added per spawn), and, with a pids cgroup as the process cap (root), what entering
// one costs on its own. Wall times grow with machine load, so the load average is printed
// too. Run `npm run build` first. BENCH_RUNS sets the iterations.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSandbox } from "../dist/host/sandbox/check-sandbox.js";
import { createPidsCgroup } from "../dist/host/sandbox/pids-cgroup.js";
import { spawnPluginProcess } from "../dist/host/sandbox/spawn-plugin-process.js";

const runs = Number(process.env.BENCH_RUNS ?? 30);
const dir = mkdtempSync(join(tmpdir(), "agent-bench-sandbox-"));
const pluginRoot = join(dir, "plugin");
mkdirSync(pluginRoot);
writeFileSync(
  join(pluginRoot, "server.mjs"),
  `import { createInterface } from "node:readline";
createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line);
  process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { protocolVersion: "2025-06-18", capabilities: {}, serverInfo: { name: "bench", version: "1" } } }) + "\\n");
});
`,
);
const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } }) + "\n";
const spec = (sandbox, command, args) => ({ command, args, env: {}, pluginRoot, dataDir: join(dir, "data"), sandbox, pluginId: "bench@local", onWarning: () => {} });

async function startTrue(sandbox) {
  const started = performance.now();
  const child = await spawnPluginProcess(spec(sandbox, "true", []));
  child.stdin.end();
  child.stdout.resume();
  child.stderr.resume();
  const code = await new Promise((r) => child.on("close", r));
  if (code !== 0) throw new Error(`true exited ${code} (${sandbox})`);
  return performance.now() - started;
}

async function startServer(sandbox) {
  const started = performance.now();
  const child = await spawnPluginProcess(spec(sandbox, "node", [join(pluginRoot, "server.mjs")]));
  child.stderr.resume();
  const answered = new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve(performance.now() - started));
    child.once("exit", (code) => reject(new Error(`server exited ${code} before answering (${sandbox})`)));
  });
  child.stdin.write(initialize);
  const ms = await answered;
  child.stdin.end();
  await new Promise((r) => child.on("close", r));
  return ms;
}

/**
 * What the root process cap costs on its own: `true` started in a new pids cgroup against `true` started
 * directly, after a pause as between spawns in a session.
 */
async function measureCgroupCap(n) {
  const capped = [];
  const bare = [];
  const run = (start) => {
    const started = performance.now();
    const child = start();
    return new Promise((resolve) => child.on("close", () => resolve(performance.now() - started)));
  };
  for (let i = 0; i < n; i++) {
    const cgroup = createPidsCgroup(8);
    capped.push(await run(() => cgroup.spawn("/bin/true", [], { stdio: "ignore" })));
    cgroup.remove();
    bare.push(await run(() => spawn("/bin/true", [], { stdio: "ignore" })));
    await new Promise((r) => setTimeout(r, 50));
  }
  const added = median(capped) - median(bare);
  console.log(`${"process cap: pids cgroup".padEnd(28)} ${added.toFixed(2).padStart(7)} ms added   (median of ${n}; part of each sandboxed spawn above)`);
}

/** the floor: bubblewrap with a minimal profile (no mounts, seccomp or cap), started directly */
function startMinimalBwrap(sandbox) {
  const started = performance.now();
  const child = sandbox === "auto" ? spawn(bwrap, ["--ro-bind", "/", "/", "--unshare-all", "--unshare-user", "--die-with-parent", "true"], { stdio: "ignore" }) : spawn("true", [], { stdio: "ignore" });
  return new Promise((resolve) => child.on("close", () => resolve(performance.now() - started)));
}
let bwrap;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name, start, n) {
  const sandboxed = [];
  const bare = [];
  for (let i = 0; i < 3; i++) (await start("auto"), await start("off")); // warm-up
  for (let i = 0; i < n; i++) {
    sandboxed.push(await start("auto"));
    bare.push(await start("off"));
  }
  const s = median(sandboxed);
  const b = median(bare);
  console.log(`${name.padEnd(28)} bare ${b.toFixed(2).padStart(7)} ms   sandboxed ${s.toFixed(2).padStart(7)} ms   added ${(s - b).toFixed(2).padStart(6)} ms   ratio ${(s / b).toFixed(2)}x   (median of ${n})`);
  return s - b;
}

const status = await checkSandbox();
if (!status.available) {
  console.error(`sandbox unavailable: ${status.problems.map((p) => p.what).join("; ")}`);
  process.exit(1);
}
const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
console.log(`bubblewrap ${status.bwrap.version}, seccomp ${status.seccomp?.arch}, process cap: ${status.processCap}; load average ${load} on ${(await import("node:os")).availableParallelism()} cores`);
bwrap = status.bwrap.path;
try {
  await measure("bwrap minimal, `true`", startMinimalBwrap, runs);
  const addedTrue = await measure("spawn `true`", startTrue, runs);
  const addedServer = await measure("node MCP server (1st reply)", startServer, runs);
  if (status.processCap === "cgroup") await measureCgroupCap(runs);
  const worst = Math.max(addedTrue, addedServer);
  console.log(`added wall time per spawn: ${worst.toFixed(2)} ms at most (target < 10 ms): ${worst < 10 ? "met" : "NOT met"}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
