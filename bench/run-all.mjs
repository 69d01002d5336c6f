#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (never in parallel: they compare against peers
// measured in the same run, so they need the machine to themselves) and prints each one's output.
// Between two benches it syncs and waits BENCH_PAUSE_S seconds (default 60): the kernel is still busy
// after a bench that wrote and deleted thousands of files (writeback; ext4 without a journal, as on these
// machines, passes over freshly freed inodes for a minute when it creates files), which slowed the file
// creation of the bench after it.
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
const pauseSeconds = Number(process.env.BENCH_PAUSE_S ?? 60);
let failed = 0;
for (const [i, name] of benches.entries()) {
  if (i > 0 && pauseSeconds > 0) {
    spawnSync("sync");
    await new Promise((resolve) => setTimeout(resolve, pauseSeconds * 1000));
  }
  console.log(`\n== bench/${name}.mjs ==`);
  const run = spawnSync(process.execPath, [`${dir}${name}.mjs`], { stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.log(`bench/${name}.mjs exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
