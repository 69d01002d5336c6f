#!/usr/bin/env node
// Install speed and memory against real Claude Code, measured in the same run.
//
// One local directory marketplace holds `app` with 3 dependencies (lib1 → lib3, lib2). Each run installs
// `app@bench-mkt` into a fresh home: `node dist/cli/main.cjs plugin install` with a fresh AGENT_HOME, and
// `claude plugin install` with a fresh isolated HOME where the marketplace was already added (a copy of a
// home prepared once with `claude plugin marketplace add`), so only the install is measured. Runs
// alternate between the two, each after a `sync` (outside the timing), so that no command pays for writing
// back what the harness or the command before it wrote. Prints medians of wall time and peak RSS and
// their ratios (targets: agent ≥10× faster, ≤⅓ the memory), the same for `plugin list`, the start-up
// floor of a bare `node -e 0` (the best ratio any Node CLI can reach here), and checks that a plugin
// installed by `agent --claude-home` shows in `claude plugin list`.
//
// Claude Code comes from CLAUDE_BIN, else `claude` on PATH, else /tmp/peers/claude, else it is installed
// into a temp dir with `npm install --prefix`. BENCH_RUNS (default 9) sets the number of runs; AGENT_BENCH_CLI
// points at another build of the CLI (e.g. a bundled one) to compare.
// Run `npm run build` first.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findClaude } from "./support/claude-peer.mjs";
import { builtCli } from "./support/built-cli.mjs";

const cli = process.env.AGENT_BENCH_CLI ?? builtCli();
const runs = Number(process.env.BENCH_RUNS ?? 9);
const work = mkdtempSync(join(tmpdir(), "agent-bench-install-"));
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const quietClaude = {
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

function makeMarketplace(root) {
  const plugins = { app: ["lib1", "lib2"], lib1: ["lib3"], lib2: [], lib3: [] };
  for (const [name, dependencies] of Object.entries(plugins)) {
    const dir = join(root, "plugins", name);
    write(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name, version: "1.0.0", description: `${name} plugin`, dependencies }, null, 2));
    for (let i = 0; i < 4; i++) write(join(dir, "skills", `${name}-s${i}`, "SKILL.md"), `---\nname: ${name}-s${i}\ndescription: ${name} skill ${i}\n---\nDo ${name} thing ${i}.\n`);
    write(join(dir, "commands", "run.md"), `---\ndescription: Runs ${name}\n---\nRun $ARGUMENTS.\n`);
    write(join(dir, "hooks", "hooks.json"), JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: "command", command: "echo hi" }] }] } }));
  }
  write(
    join(root, ".claude-plugin", "marketplace.json"),
    JSON.stringify({ name: "bench-mkt", owner: { name: "bench" }, plugins: Object.keys(plugins).map((name) => ({ name, source: `./plugins/${name}`, description: `${name} plugin` })) }, null, 2),
  );
}

/** Claude Code as findClaude finds it, else installed into this run's temp dir. */
function claudeOrInstall() {
  const found = findClaude();
  if (found) return found;
  const prefix = join(work, "claude-code");
  console.log(`installing Claude Code into ${prefix} …`);
  execFileSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "@anthropic-ai/claude-code"], { stdio: "inherit" });
  return join(prefix, "node_modules", ".bin", "claude");
}

/** Runs a command, returns wall ms, CPU ms (user+sys, with /usr/bin/time) and peak RSS in MiB (/usr/bin/time, else VmHWM polled from /proc). */
async function measure(command, args, env) {
  const fullEnv = { PATH: process.env.PATH, LANG: "C.UTF-8", NO_COLOR: "1", ...env };
  const rssFile = join(work, "rss.txt");
  const [bin, argv] = timeBin ? [timeBin, ["-f", "%M %U %S", "-o", rssFile, command, ...args]] : [command, args];
  // what the harness and the previous command wrote goes to disk first, not during this command's fsyncs
  spawnSync("sync");
  const start = process.hrtime.bigint();
  const child = spawn(bin, argv, { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let hwm = 0;
  const poll = timeBin
    ? undefined
    : setInterval(() => {
        try {
          const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);
          hwm = Math.max(hwm, kb);
        } catch {}
      }, 2);
  const status = await new Promise((resolve) => child.on("close", resolve));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (poll) clearInterval(poll);
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${status}:\n${out}`.slice(0, 3000));
  const [kb, user, sys] = timeBin ? readFileSync(rssFile, "utf8").trim().split("\n").at(-1).split(" ").map(Number) : [hwm, NaN, NaN];
  return { ms, cpu: (user + sys) * 1000, mib: kb / 1024, out };
}

function report(label, agentRuns, claudeRuns) {
  const med = (runs) => ({ ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), mib: median(runs.map((r) => r.mib)) });
  const a = med(agentRuns);
  const c = med(claudeRuns);
  const cpu = Number.isNaN(a.cpu) ? "" : ` (CPU ${a.cpu.toFixed(0)} vs ${c.cpu.toFixed(0)} ms: ${(c.cpu / a.cpu).toFixed(1)}×)`;
  console.log(`${label.padEnd(16)} agent ${a.ms.toFixed(0).padStart(5)} ms ${a.mib.toFixed(0).padStart(4)} MiB | claude ${c.ms.toFixed(0).padStart(5)} ms ${c.mib.toFixed(0).padStart(4)} MiB | ${(c.ms / a.ms).toFixed(1)}× faster${cpu}, ${(a.mib / c.mib).toFixed(2)}× the memory`);
  return { speedup: c.ms / a.ms, memory: a.mib / c.mib };
}

try {
  const market = join(work, "bench-mkt");
  makeMarketplace(market);
  const claude = claudeOrInstall();
  console.log(`Claude Code: ${spawnSync(claude, ["--version"], { encoding: "utf8", env: { ...process.env, ...quietClaude, HOME: work } }).stdout.trim()} (${claude})`);
  console.log(`agent:       ${cli}`);
  console.log(`runs:        ${runs} each, alternating; peak RSS from ${timeBin ? "/usr/bin/time" : "/proc/<pid>/status VmHWM"}\n`);

  // homes where the marketplace is already known, copied fresh for every run
  const claudeTemplate = join(work, "claude-template");
  mkdirSync(claudeTemplate);
  await measure(claude, ["plugin", "marketplace", "add", market], { ...quietClaude, HOME: claudeTemplate });
  const agentTemplate = join(work, "agent-template");
  await measure(process.execPath, [cli, "plugin", "marketplace", "add", market], { AGENT_HOME: agentTemplate, HOME: work });

  const floor = [];
  const installs = { agent: [], claude: [] };
  const lists = { agent: [], claude: [] };
  for (let i = 0; i <= runs; i++) {
    const agentHome = join(work, `agent-${i}`);
    const claudeHome = join(work, `claude-${i}`);
    cpSync(agentTemplate, agentHome, { recursive: true });
    cpSync(claudeTemplate, claudeHome, { recursive: true });
    const a = await measure(process.execPath, [cli, "plugin", "install", "app@bench-mkt"], { AGENT_HOME: agentHome, HOME: work });
    const c = await measure(claude, ["plugin", "install", "app@bench-mkt"], { ...quietClaude, HOME: claudeHome });
    const al = await measure(process.execPath, [cli, "plugin", "list"], { AGENT_HOME: agentHome, HOME: work });
    const cl = await measure(claude, ["plugin", "list"], { ...quietClaude, HOME: claudeHome });
    for (const id of ["app@bench-mkt", "lib1@bench-mkt", "lib2@bench-mkt", "lib3@bench-mkt"]) {
      if (!al.out.includes(id) || !cl.out.includes(id)) throw new Error(`${id} missing from a list:\n${al.out}\n${cl.out}`);
    }
    const bare = await measure(process.execPath, ["-e", "0"], {});
    if (i === 0) continue; // the first round warms the page cache
    floor.push(bare);
    installs.agent.push(a);
    installs.claude.push(c);
    lists.agent.push(al);
    lists.claude.push(cl);
  }
  const install = report("plugin install", installs.agent, installs.claude);
  const bareMs = median(floor.map((r) => r.ms));
  console.log(`${"node -e 0".padEnd(16)} ${bareMs.toFixed(0).padStart(5)} ms: the start-up floor of any Node CLI, ${(median(installs.claude.map((r) => r.ms)) / bareMs).toFixed(1)}× below claude plugin install`);
  report("plugin list", lists.agent, lists.claude);
  console.log(`targets: ≥10× faster (${install.speedup >= 10 ? "met" : "NOT met"}), ≤0.33× the memory (${install.memory <= 1 / 3 ? "met" : "NOT met"})`);

  // the oracle: what `agent --claude-home` installs, real Claude Code lists as installed and enabled
  const shared = join(work, "shared-home");
  cpSync(claudeTemplate, shared, { recursive: true });
  await measure(process.execPath, [cli, "--claude-home", join(shared, ".claude"), "plugin", "install", "app@bench-mkt"], { HOME: shared });
  const listed = (await measure(claude, ["plugin", "list", "--json"], { ...quietClaude, HOME: shared })).out;
  const entries = JSON.parse(listed.slice(listed.indexOf("[")));
  const seen = entries.filter((e) => e.enabled && e.scope === "user").map((e) => e.id).sort();
  const ok = JSON.stringify(seen) === JSON.stringify(["app@bench-mkt", "lib1@bench-mkt", "lib2@bench-mkt", "lib3@bench-mkt"]);
  console.log(`\nagent --claude-home install, then \`claude plugin list --json\`: ${ok ? "OK" : "MISMATCH"} (${seen.join(", ")})`);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
