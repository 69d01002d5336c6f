#!/usr/bin/env node
// Session start-up and MCP round trip, as ratios against peers measured in the same run.
//
// A local marketplace holds 50 plugins: each has 2 skills, every 5th has SessionStart/PreToolUse hooks,
// and 5 carry a stdio MCP server (a copy of the core-tools server: 6 tools each). All 50 are installed
// into a fresh AGENT_HOME with the real CLI. Then:
//   1. `agent run --dry-run` wall time (opens the session: 5 sandboxed MCP servers up and down) vs `node -e 0`;
//   2. `agent run "hi"` from spawn to the first Messages API request arriving at a loopback server
//      (SessionStart hooks, MCP servers, system prompt, tool schemas) vs `node -e 0` (target: under 300 ms);
//   3. one MCP tool call (core-tools Read of a small file) through startMcpServers, i.e. under bubblewrap,
//      vs the same call to the same server spawned bare with the SDK's StdioClientTransport.
// BENCH_RUNS (default 9) sets the number of timed runs. Run `npm run build` first.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { builtCli } from "./support/built-cli.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));
const cli = builtCli();
const coreTools = join(repo, "fixtures/marketplaces/agent-builtin/plugins/core-tools");
const runs = Number(process.env.BENCH_RUNS ?? 9);
const callRuns = 300;
const base = realpathSync(mkdtempSync(join(tmpdir(), "agent-bench-session-")));
const home = join(base, "home");
const workspace = join(base, "workspace");
const market = join(base, "market");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const progress = (what) => process.stderr.write(`session-start: ${what}\n`);
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

function makeMarketplace() {
  const names = Array.from({ length: 50 }, (_, i) => `bench-${String(i).padStart(2, "0")}`);
  names.forEach((name, i) => {
    const dir = join(market, "plugins", name);
    const manifest = { name, version: "1.0.0", description: `${name}: a benchmark plugin` };
    if (i % 10 === 0) {
      cpSync(join(coreTools, "server"), join(dir, "server"), { recursive: true });
      write(join(dir, ".mcp.json"), JSON.stringify({ mcpServers: { tools: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server/main.mjs"] } } }));
      manifest.permissions = { filesystem: { workspace: "write" } };
    }
    write(join(dir, ".claude-plugin/plugin.json"), JSON.stringify(manifest, null, 2));
    for (let s = 0; s < 2; s++)
      write(join(dir, "skills", `skill-${s}`, "SKILL.md"), `---\nname: skill-${s}\ndescription: ${name} skill ${s}: when the user asks about topic ${i}-${s}\n---\nSteps for topic ${i}-${s}.\n`);
    if (i % 5 === 0) {
      const hook = { type: "command", command: "cat > /dev/null", timeout: 10 };
      write(join(dir, "hooks/hooks.json"), JSON.stringify({ hooks: { SessionStart: [{ hooks: [hook] }], PreToolUse: [{ matcher: "Bash", hooks: [hook] }] } }));
    }
  });
  write(join(market, ".claude-plugin/marketplace.json"), JSON.stringify({ name: "bench-market", owner: { name: "bench" }, plugins: names.map((name) => ({ name, source: `./plugins/${name}` })) }));
  return names;
}

// the same clean environment for agent and its peer, as in the other benchmarks: nothing from the
// caller's shell (e.g. NODE_EXTRA_CA_CERTS, which makes every Node start read a CA bundle) is measured
const benchEnv = { PATH: process.env.PATH, HOME: base, LANG: "C.UTF-8", AGENT_HOME: home, NO_COLOR: "1" };

function agent(args, extraEnv = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: workspace, env: { ...benchEnv, ...extraEnv }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`agent ${args.join(" ")} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

function timeSpawn(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: workspace, env: benchEnv, stdio: "ignore" });
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
    if (i >= 2) samples.push(ms(start));
  }
  return median(samples);
}

const sse = [
  ["message_start", { type: "message_start", message: { id: "msg_bench", type: "message", role: "assistant", model: "bench", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }],
  ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } }],
  ["content_block_stop", { type: "content_block_stop", index: 0 }],
  ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } }],
  ["message_stop", { type: "message_stop" }],
].map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");

/** `agent run "hi"` against a loopback Messages API: ms from spawn to the first request. */
async function timeFirstRequest() {
  let arrived;
  const server = createServer((req, res) => {
    arrived?.();
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/event-stream" }).end(sse));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const first = new Promise((resolve) => (arrived = () => resolve(ms(start))));
    const child = spawn(process.execPath, [cli, "run", "hi", "--permission-mode", "allow"], {
      cwd: workspace,
      env: { ...benchEnv, ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "bench" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const took = await Promise.race([first, exited.then((code) => Promise.reject(new Error(`agent run exited ${code} before its first request`)))]);
    arrived = undefined;
    const code = await exited;
    if (code !== 0) throw new Error(`agent run exited ${code}`);
    if (i >= 2) samples.push(took);
  }
  server.close();
  return median(samples);
}

async function timeCalls(call) {
  const samples = [];
  for (let i = 0; i < callRuns + 20; i++) {
    const start = process.hrtime.bigint();
    await call();
    if (i >= 20) samples.push(ms(start));
  }
  return median(samples);
}

async function mcpRoundTrips() {
  const [{ startMcpServers }, { pluginInventory, readPluginManifest }] = await Promise.all([
    import(join(repo, "dist/host/mcp/start-mcp-servers.js")),
    import(join(repo, "dist/registry/plugin/index.js")),
  ]);
  const file = join(workspace, "small.txt");
  writeFileSync(file, "one\ntwo\nthree\n");
  const manifest = readPluginManifest(coreTools).manifest;
  const plugin = {
    id: "core-tools@agent-builtin", name: "core-tools", marketplace: "agent-builtin", root: coreTools, dataDir: join(base, "data-core-tools"),
    manifest, inventory: pluginInventory(coreTools, manifest), permissions: manifest.permissions, config: {},
  };
  const env = { projectDir: workspace, sandbox: "auto", hiddenPaths: [home] };

  let start = process.hrtime.bigint();
  const session = await startMcpServers([plugin], env);
  const sandboxedStart = ms(start);
  const read = session.tools.find((t) => t.name === "Read");
  const ours = await timeCalls(() => read.call({ file_path: file }, { signal: new AbortController().signal }));
  await session.close();

  start = process.hrtime.bigint();
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(coreTools, "server/main.mjs")], env: { CLAUDE_PROJECT_DIR: workspace }, cwd: workspace }));
  const bareStart = ms(start);
  const bare = await timeCalls(() => client.callTool({ name: "Read", arguments: { file_path: file } }));
  await client.close();
  return { sandboxedStart, bareStart, ours, bare };
}

try {
  mkdirSync(workspace, { recursive: true });
  const names = makeMarketplace();
  progress("installing 50 plugins");
  agent(["plugin", "marketplace", "add", market]);
  agent(["plugin", "install", ...names.map((n) => `${n}@bench-market`), "--yes"]);
  const report = JSON.parse(agent(["run", "--dry-run", "--json"]));

  progress("timing node -e 0");
  const node = timeSpawn(["-e", "0"]);
  progress("timing agent run --dry-run");
  const dryRun = timeSpawn([cli, "run", "--dry-run"]);
  progress("timing agent run to the first request");
  const firstRequest = await timeFirstRequest();
  progress("timing MCP calls");
  const mcp = await mcpRoundTrips();

  console.log(`session: 50 plugins, 100 skills, 10 with hooks, 5 MCP servers; ${report.toolCount ?? "?"} tools, ~${report.totalTokens ?? "?"} tokens before the first prompt`);
  console.log(`node -e 0                           ${node.toFixed(1)} ms (median of ${runs})`);
  console.log(`agent run --dry-run                 ${dryRun.toFixed(1)} ms   ${(dryRun / node).toFixed(2)}x node -e 0`);
  console.log(`agent run: spawn → first request    ${firstRequest.toFixed(1)} ms   ${(firstRequest / node).toFixed(2)}x node -e 0 (target < 300 ms)`);
  console.log(`MCP server start, sandboxed         ${mcp.sandboxedStart.toFixed(1)} ms   ${(mcp.sandboxedStart / mcp.bareStart).toFixed(2)}x bare SDK stdio (${mcp.bareStart.toFixed(1)} ms, one sample each)`);
  console.log(`MCP tool call (Read), sandboxed     ${mcp.ours.toFixed(3)} ms   ${(mcp.ours / mcp.bare).toFixed(2)}x bare SDK stdio (${mcp.bare.toFixed(3)} ms, median of ${callRuns})`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${base}`);
  else rmSync(base, { recursive: true, force: true });
}
