#!/usr/bin/env node
// Start-up cost: median wall time of `agent --version` against `node -e 0`, same machine, same run.
// Prints the ratio (target: within 2x). Run `npm run build` first.
import { spawnSync } from "node:child_process";
import { builtCli } from "./support/built-cli.mjs";

const cli = builtCli();
const runs = Number(process.env.BENCH_RUNS ?? 31);
// both run with the same clean environment, as in the other benchmarks: nothing from the caller's shell
// (e.g. NODE_EXTRA_CA_CERTS, which makes every Node start read a CA bundle) is measured
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? "/", LANG: "C.UTF-8" };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall ms of each command, run in turn (one of each per round), so a machine that slows down
 * or speeds up during the run affects all of them alike. */
function time(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs + 3; i++) {
    commands.forEach((args, c) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { stdio: "ignore", env });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
      if (i >= 3) samples[c].push(ms); // warm-up rounds are discarded
    });
  }
  return samples.map(median);
}

const [bare, version, help] = time([["-e", "0"], [cli, "--version"], [cli, "plugin", "--help"]]);
console.log(`node -e 0            ${bare.toFixed(1)} ms (median of ${runs})`);
console.log(`agent --version      ${version.toFixed(1)} ms`);
console.log(`agent plugin --help  ${help.toFixed(1)} ms`);
console.log(`ratio agent --version / node -e 0: ${(version / bare).toFixed(2)}x (target <= 2x)`);
