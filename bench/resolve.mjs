#!/usr/bin/env node
// Dependency resolution at scale: synthetic catalogs of 1k, 10k and 100k plugins (5 versions each,
// 5 dependencies per version, ranges that overlap, 4 marketplaces that allowlist each other), all
// reachable from the requested roots. Prints the median time per size, the growth ratio between sizes
// (10.0x = linear) and the ratio against a peer measured in the same run: a plain breadth-first walk over
// the same catalog that only visits every plugin and edge (the least work any resolver must do).
// Also prints CPU time (process.cpuUsage, includes GC threads): on a shared, loaded machine wall time mostly
// measures waiting for a core, CPU time and the cpu ratio do not. Prints the load average it ran under.
// Target: 10k plugins under 200 ms, near-linear growth. Run `npm run build` first.
import os from "node:os";
const { resolve } = await import(process.env.BENCH_RESOLVER ?? "../dist/resolver/resolve.js");

const sizes = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const markets = ["m0", "m1", "m2", "m3"];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeCatalog(n) {
  const next = random(n);
  const id = (i) => `p${i}@${markets[i % markets.length]}`;
  const major = (i) => 1 + (i % 3);
  const versions = new Map();
  for (let i = 0; i < n; i++) {
    const candidates = [];
    for (let k = 4; k >= 0; k--) {
      const dependencies = [];
      for (let d = 0; d < 5 && i + 1 < n; d++) {
        // the first dependency chains every plugin to the next, so everything is reachable
        const j = d === 0 ? i + 1 : i + 1 + Math.floor(next() * Math.min(n - i - 1, 2000));
        const m = major(j);
        const range = [`^${m}.0.0`, `>=${m}.1.0`, `${m}.x`, `~${m}.2.0`, undefined][Math.floor(next() * 5)];
        dependencies.push({ name: `p${j}`, marketplace: markets[j % markets.length], ...(range ? { range } : {}) });
      }
      const version = `${major(i)}.${k}.${(i + k) % 10}`;
      candidates.push({ version, dependencies, source: { source: "npm", package: `p${i}`, version }, resolved: `npm:p${i}@${version}` });
    }
    versions.set(id(i), candidates);
  }
  const catalog = {
    marketplace: (name) => (markets.includes(name) ? { name, allowCrossMarketplaceDependenciesOn: markets, plugins: [] } : undefined),
    marketplaceNames: () => markets,
    versions: (pluginId) => versions.get(pluginId) ?? [],
  };
  const roots = Array.from({ length: Math.max(1, n / 100) }, (_, r) => ({ plugin: id(r * 100) }));
  return { catalog, roots };
}

/** The peer: visit every plugin reachable from the roots and every dependency edge, deciding nothing. */
function walk({ catalog, roots }) {
  const seen = new Set(roots.map((r) => r.plugin));
  const queue = [...seen];
  let edges = 0;
  while (queue.length > 0) {
    const pluginId = queue.pop();
    const market = pluginId.slice(pluginId.lastIndexOf("@") + 1);
    for (const candidate of catalog.versions(pluginId)) {
      for (const dep of candidate.dependencies) {
        edges++;
        const target = `${dep.name}@${dep.marketplace ?? market}`;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return { plugins: seen.size, edges };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, count) {
  fn(); // warm-up
  const samples = [];
  const cpu = [];
  let result;
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    result = fn();
    const usage = process.cpuUsage(startCpu);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push((usage.user + usage.system) / 1e3);
  }
  return { ms: median(samples), cpu: median(cpu), result };
}

const rows = [];
for (const n of sizes) {
  const graph = makeCatalog(n);
  const count = n >= 100_000 ? Math.min(runs, 3) : runs;
  const solved = time(() => resolve({ roots: graph.roots }, graph.catalog), count);
  const peer = time(() => walk(graph), count);
  rows.push({ n, resolve: solved.ms, walk: peer.ms, resolveCpu: solved.cpu, walkCpu: peer.cpu, steps: solved.result.steps.length, edges: peer.result.edges });
}

console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
console.log("plugins   plan steps   edges walked   resolve ms   walk ms   resolve/walk   cpu resolve ms   cpu walk ms   cpu ratio   growth vs previous size");
rows.forEach((row, i) => {
  const previous = rows[i - 1];
  const growth = previous ? `${(row.resolve / previous.resolve).toFixed(1)}x for ${(row.n / previous.n).toFixed(0)}x plugins` : "";
  console.log(
    `${String(row.n).padStart(7)}   ${String(row.steps).padStart(10)}   ${String(row.edges).padStart(12)}   ${row.resolve.toFixed(1).padStart(10)}   ${row.walk.toFixed(1).padStart(7)}   ${(row.resolve / row.walk).toFixed(1).padStart(11)}x   ${row.resolveCpu.toFixed(1).padStart(14)}   ${row.walkCpu.toFixed(1).padStart(11)}   ${(row.resolveCpu / row.walkCpu).toFixed(1).padStart(8)}x   ${growth}`,
  );
});
const tenK = rows.find((r) => r.n === 10_000);
if (tenK) console.log(`10k plugins: ${tenK.resolve.toFixed(1)} ms, ${tenK.resolveCpu.toFixed(1)} ms of CPU (target < 200 ms)`);
