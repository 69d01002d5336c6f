#!/usr/bin/env node
// Validator throughput: a marketplace of 1,000 generated plugins (manifest, a skill, a command, an agent,
// hooks and an MCP config each) validated by `agent plugin validate <marketplace dir>`. The work after
// start-up is the validate run minus `agent --version` (start-up alone), both medians of the same run;
// prints plugins/second. When Claude Code is available (CLAUDE_BIN, `claude` on PATH, or /tmp/peers/claude)
// it validates the same marketplace in the same run and the ratio is printed too. On Linux it also prints the CPU time the
// children used (from /proc/self/stat), which a loaded, shared machine inflates far less than wall time,
// and the load average it ran under. Run `npm run build` first.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { findClaude } from "./support/claude-peer.mjs";
import { builtCli } from "./support/built-cli.mjs";

const cli = builtCli();
const count = Number(process.env.BENCH_PLUGINS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 7);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

function makeMarketplace(root) {
  const plugins = [];
  for (let i = 0; i < count; i++) {
    const name = `plugin-${i}`;
    const dir = join(root, "plugins", name);
    write(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name, version: `1.${i % 10}.0`, description: `Generated plugin ${i}`, author: { name: "bench" }, dependencies: i > 0 ? [`plugin-${i - 1}`] : [] }, null, 2));
    write(join(dir, "skills", "helper", "SKILL.md"), `---\nname: helper\ndescription: Helps with task ${i}\n---\nDo the thing ${i}.\n`);
    write(join(dir, "commands", "run.md"), `---\ndescription: Runs task ${i}\nargument-hint: <target>\n---\nRun $ARGUMENTS.\n`);
    write(join(dir, "agents", "worker.md"), `---\nname: worker\ndescription: Works on task ${i}\ntools: Read, Grep\n---\nYou are a worker.\n`);
    write(join(dir, "hooks", "hooks.json"), JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "${CLAUDE_PLUGIN_ROOT}/hook.sh" }] }] } }));
    write(join(dir, ".mcp.json"), JSON.stringify({ mcpServers: { [`srv${i}`]: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server.js"] } } }));
    plugins.push({ name, source: `./plugins/${name}`, description: `Generated plugin ${i}` });
  }
  write(join(root, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "bench-market", owner: { name: "bench" }, plugins }, null, 2));
}

/** CPU ms used by waited-for children so far (user + system, 10 ms ticks), or undefined off Linux. */
function childrenCpuMs() {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime (fields 16, 17) in USER_HZ = 100
  } catch {
    return undefined;
  }
}

// every command runs with the same clean environment, as in the other benchmarks: nothing from the
// caller's shell (e.g. NODE_EXTRA_CA_CERTS, which makes every Node start read a CA bundle) is measured
const cleanEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? "/", LANG: "C.UTF-8" };

function time(command, args, env = cleanEnv) {
  const samples = [];
  const cpu = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const cpuStart = childrenCpuMs();
    const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], env, maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpuEnd = childrenCpuMs();
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stdout}${result.stderr}`.slice(0, 2000));
    if (i >= 1) {
      samples.push(ms); // the first run warms the page cache
      if (cpuStart !== undefined && cpuEnd !== undefined) cpu.push(cpuEnd - cpuStart);
    }
  }
  return { ms: median(samples), cpu: cpu.length > 0 ? median(cpu) : undefined };
}

const root = mkdtempSync(join(tmpdir(), "agent-bench-validate-"));
try {
  makeMarketplace(root);
  // every plugin dir too, as a plugin author's CI would run it
  const startup = time(process.execPath, [cli, "--version"]);
  const validate = time(process.execPath, [cli, "plugin", "validate", root]);
  const work = Math.max(validate.ms - startup.ms, 0.001);
  console.log(`plugins                     ${count}`);
  console.log(`load average                ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`agent --version (start-up)  ${startup.ms.toFixed(1)} ms (median of ${runs})`);
  console.log(`agent plugin validate       ${validate.ms.toFixed(1)} ms`);
  console.log(`work after start-up         ${work.toFixed(1)} ms = ${Math.round((count / work) * 1000)} plugins/second (target: well under 1 s)`);
  if (startup.cpu !== undefined && validate.cpu !== undefined) {
    const cpuWork = Math.max(validate.cpu - startup.cpu, 1);
    console.log(`CPU: start-up ${startup.cpu} ms, validate ${validate.cpu} ms, work after start-up ${cpuWork} ms = ${Math.round((count / cpuWork) * 1000)} plugins/second`);
  }
  const claude = findClaude();
  if (claude) {
    const home = mkdtempSync(join(tmpdir(), "agent-bench-claude-home-"));
    const claudeMs = time(claude, ["plugin", "validate", root], { ...cleanEnv, HOME: home }).ms;
    rmSync(home, { recursive: true, force: true });
    console.log(`claude plugin validate      ${claudeMs.toFixed(1)} ms`);
    console.log(`ratio claude / agent:       ${(claudeMs / validate.ms).toFixed(2)}x`);
  } else {
    console.log("claude plugin validate      (Claude Code not found: set CLAUDE_BIN to compare)");
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
