#!/usr/bin/env node
// Extraction of a 2,000-file plugin archive: agent's safe extractor (every header checked in a first
// pass, then written) against GNU `tar -xzf` of the same .tgz, measured in the same run, alternating
// the two so machine load hits both alike. Prints each median and the ratio agent / tar.
// Target: ≤ 1.5×. Run `npm run build` first. BENCH_RUNS (default 11), BENCH_FILES (default 2000),
// BENCH_DIR (default the OS temp dir; /dev/shm takes the disk out and leaves the CPU cost).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractTarball } from "../dist/registry/archive/extract-tarball.js";

const runs = Number(process.env.BENCH_RUNS ?? 11);
const fileCount = Number(process.env.BENCH_FILES ?? 2000);
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), "agent-bench-extract-"));

/** Deterministic pseudo-random text (mulberry32), so every run packs the same plugin. */
function text(seed, length) {
  let s = seed;
  let out = "";
  while (out.length < length) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += ((t ^ (t >>> 14)) >>> 0).toString(36) + (t % 7 === 0 ? "\n" : " ");
  }
  return out.slice(0, length);
}

function makePlugin() {
  const root = join(work, "src", "package");
  mkdirSync(join(root, ".claude-plugin"), { recursive: true });
  writeFileSync(join(root, ".claude-plugin", "plugin.json"), JSON.stringify({ name: "big", version: "1.0.0" }));
  const perDir = 50;
  for (let i = 0; i < fileCount - 1; i++) {
    const dir = join(root, "skills", `skill-${Math.floor(i / perDir)}`);
    if (i % perDir === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, i % perDir === 0 ? "SKILL.md" : `ref-${i}.md`), text(i + 1, 200 + ((i * 7919) % 6000)));
  }
  const archive = join(work, "big.tgz");
  execFileSync("tar", ["-czf", archive, "-C", join(work, "src"), "package"]);
  return archive;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const archive = makePlugin();
const bytes = readFileSync(archive);
const ours = [];
const tars = [];
async function agentRun(i) {
  const dest = join(work, `agent-${i}`);
  const t = performance.now();
  await extractTarball(readFileSync(archive), dest, { what: "bench archive" });
  ours.push(performance.now() - t);
  return dest;
}

function tarRun(i) {
  const dest = join(work, `tar-${i}`);
  mkdirSync(dest);
  const t = performance.now();
  execFileSync("tar", ["-xzf", archive, "-C", dest]);
  tars.push(performance.now() - t);
  return dest;
}

for (let i = 0; i < runs; i++) {
  // alternate who goes first, and let the removals of the previous round settle
  const made = i % 2 === 0 ? [await agentRun(i), tarRun(i)] : [tarRun(i), await agentRun(i)];
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  execFileSync("sync");
  await new Promise((r) => setTimeout(r, 200));
}
rmSync(work, { recursive: true, force: true });
const ourMedian = median(ours);
const tarMedian = median(tars);
console.log(`extract: ${fileCount} files, ${(bytes.length / 1024).toFixed(0)} KiB .tgz, ${runs} runs each`);
console.log(`  agent extractTarball  median ${ourMedian.toFixed(1)} ms`);
console.log(`  tar -xzf              median ${tarMedian.toFixed(1)} ms`);
console.log(`  ratio agent / tar     ${(ourMedian / tarMedian).toFixed(2)}x  (target <= 1.5x)`);
