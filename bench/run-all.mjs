#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (never in parallel: they compare against peers
// measured in the same run, so they need the machine to themselves) and prints each one's output.
// `npm run bench [-- name…]` runs only the named ones (e.g. `npm run bench -- startup resolve`).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs") && f !== "run-all.mjs")
  .map((f) => f.slice(0, -".mjs".length))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name}.mjs ==`);
  const run = spawnSync(process.execPath, [`${dir}${name}.mjs`], { stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.log(`bench/${name}.mjs exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
