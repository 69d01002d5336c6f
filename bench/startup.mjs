#!/usr/bin/env node
// Start-up cost: median wall time of `agent --version` against `node -e 0`, same machine, same run.
// Prints the ratio (target: within 2x). Run `npm run build` first.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 31);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 3; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
    if (i >= 3) samples.push(ms); // warm-up runs are discarded
  }
  return median(samples);
}

const bare = time(["-e", "0"]);
const version = time([cli, "--version"]);
const help = time([cli, "plugin", "--help"]);
console.log(`node -e 0            ${bare.toFixed(1)} ms (median of ${runs})`);
console.log(`agent --version      ${version.toFixed(1)} ms`);
console.log(`agent plugin --help  ${help.toFixed(1)} ms`);
console.log(`ratio agent --version / node -e 0: ${(version / bare).toFixed(2)}x (target <= 2x)`);
