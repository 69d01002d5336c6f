#!/usr/bin/env node
// Registry throughput: `agent registry serve` against Verdaccio 5 in the same run, same plugin package
// published to both, loopback only. autocannon measures packument (abbreviated, as npm install asks)
// and tarball req/s and p99 latency; then `npm install <pkg>` with a cold cache from each.
// Prints ratios (target: >= 3x Verdaccio req/s, p99 under 20 ms). Run `npm run build` first.
// Verdaccio is installed into a temp dir at bench time (BENCH_VERDACCIO_DIR reuses one).
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { builtCli } from "./support/built-cli.mjs";

const run = promisify(execFile);
const cli = builtCli();
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const work = mkdtempSync(join(tmpdir(), "agent-bench-registry-"));
const children = [];
const pkg = "bench-plugin";

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(command, args, env, ready) {
  const child = spawn(command, args, { env: { PATH: process.env.PATH, HOME: work, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start: ${out}`)), 60_000);
    const onData = (chunk) => {
      out += chunk;
      const found = ready(out);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command} exited ${code}: ${out}`)));
  });
}

async function waitUntilUp(url) {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/-/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered /-/ping`);
}

async function startAgent() {
  const token = "agr_bench_admin_token_0123456789abcdef0123";
  const line = await start(process.execPath, [cli, "registry", "serve", "--port", "0", "--data", join(work, "agent-data"), "--json"], { AGENT_REGISTRY_ADMIN_TOKEN: token }, (out) => /"url":"([^"]+)"/.exec(out)?.[1]);
  return { name: "agent", url: line, token };
}

async function installVerdaccio() {
  if (process.env.BENCH_VERDACCIO_DIR) return process.env.BENCH_VERDACCIO_DIR;
  const dir = join(work, "verdaccio");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-verdaccio", private: true, dependencies: { verdaccio: "5" }, overrides: { "node-fetch": "2.7.0" } }));
  const { stdout: registry } = await run("npm", ["config", "get", "registry"]);
  await run("npm", ["install", "--no-audit", "--no-fund", "--registry", registry.trim()], { cwd: dir, timeout: 600_000 });
  return dir;
}

async function startVerdaccio() {
  const dir = await installVerdaccio();
  const port = await freePort();
  const config = join(work, "verdaccio.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(work, "verdaccio-storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(work, "htpasswd")}`,
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "log: { type: stdout, format: pretty, level: error }",
      "",
    ].join("\n"),
  );
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(dir, "node_modules/verdaccio/bin/verdaccio"), "-c", config, "-l", `127.0.0.1:${port}`], { env: { PATH: process.env.PATH, HOME: work }, stdio: "inherit" });
  children.push(child);
  await waitUntilUp(url);
  const res = await fetch(`${url}/-/user/org.couchdb.user:bench`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "bench", password: "bench-password-1" }) });
  const { token } = await res.json();
  return { name: "verdaccio", url, token };
}

function writePlugin() {
  const dir = join(work, "plugin");
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  mkdirSync(join(dir, "skills", "review"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: pkg, version: "1.0.0", description: "Reviews diffs" }));
  writeFileSync(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name: pkg, version: "1.0.0", description: "Reviews diffs" }));
  writeFileSync(join(dir, "skills", "review", "SKILL.md"), `---\nname: review\ndescription: Reviews diffs\n---\n${"Check every changed line.\n".repeat(800)}`);
  return dir;
}

async function publish(target, dir) {
  const rc = join(work, `npmrc-${target.name}`);
  const host = new URL(target.url).host;
  writeFileSync(rc, `//${host}/:_authToken=${target.token}\n`);
  await run("npm", ["publish", "--registry", `${target.url}/`, "--userconfig", rc, "--cache", join(work, `cache-publish-${target.name}`)], { cwd: dir, env: { PATH: process.env.PATH, HOME: work } });
}

async function cannon(url, headers) {
  const options = { url, connections, pipelining: 1, headers };
  await autocannon({ ...options, duration: 1 }); // warm-up
  const result = await autocannon({ ...options, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function coldInstall(target) {
  const project = mkdtempSync(join(work, `install-${target.name}-`));
  writeFileSync(join(project, "package.json"), "{}");
  const start = process.hrtime.bigint();
  await run("npm", ["install", pkg, "--registry", `${target.url}/`, "--cache", join(project, ".cache"), "--userconfig", join(project, ".npmrc"), "--no-audit", "--no-fund", "--prefer-online"], { cwd: project, env: { PATH: process.env.PATH, HOME: project } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Alternates the targets round by round so load changes on the machine hit both alike; medians per target. */
async function interleaved(targets, measure) {
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) for (const target of targets) samples[target.name].push(await measure(target));
  return samples;
}

async function main() {
  const plugin = writePlugin();
  const targets = [await startAgent(), await startVerdaccio()];
  for (const target of targets) await publish(target, plugin);
  const packument = await interleaved(targets, (t) => cannon(`${t.url}/${pkg}`, { accept: "application/vnd.npm.install-v1+json" }));
  const tarball = await interleaved(targets, (t) => cannon(`${t.url}/${pkg}/-/${pkg}-1.0.0.tgz`, {}));
  const install = await interleaved(targets, coldInstall);
  const results = {};
  for (const { name } of targets) {
    const pick = (runs) => ({ rps: median(runs.map((r) => r.rps)), p99: median(runs.map((r) => r.p99)) });
    results[name] = { packument: pick(packument[name]), tarball: pick(tarball[name]), install: median(install[name]) };
  }
  const a = results.agent;
  const v = results.verdaccio;
  const row = (label, x) => `${label.padEnd(10)} packument ${x.packument.rps.toFixed(0).padStart(6)} req/s p99 ${String(x.packument.p99).padStart(3)} ms | tarball ${x.tarball.rps.toFixed(0).padStart(6)} req/s p99 ${String(x.tarball.p99).padStart(3)} ms | npm install (cold) ${x.install.toFixed(0)} ms`;
  console.log(`registry bench: ${seconds} s per run, ${connections} connections, loopback, medians of ${rounds} interleaved rounds`);
  console.log(row("agent", a));
  console.log(row("verdaccio", v));
  console.log(`ratio agent/verdaccio packument req/s: ${(a.packument.rps / v.packument.rps).toFixed(2)}x, tarball req/s: ${(a.tarball.rps / v.tarball.rps).toFixed(2)}x (target >= 3x)`);
  console.log(`p99 agent packument ${a.packument.p99} ms, tarball ${a.tarball.p99} ms (target < 20 ms); verdaccio ${v.packument.p99} / ${v.tarball.p99} ms`);
  console.log(`npm install (cold cache): agent ${a.install.toFixed(0)} ms, verdaccio ${v.install.toFixed(0)} ms, time ratio agent/verdaccio ${(a.install / v.install).toFixed(2)}x`);
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
}
