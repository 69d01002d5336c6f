#!/usr/bin/env node
// `agent plugin marketplace add <git url>` against `git clone --depth 1` of the same repository, in the
// same run, both over smart HTTP from one loopback server (`git http-backend` behind node's http).
// The repository is a marketplace of BENCH_PLUGINS (default 40) plugins with a few files each and 3
// commits of history. Runs alternate; each add gets a fresh AGENT_HOME, each clone a fresh directory.
// Prints medians of wall and CPU time, the ratio agent/git (target ≤ 1.3×), bare node start-up, and a
// Node process that does nothing but run the same `git clone` (spawnSync): the floor no Node CLI can go
// under, as a ratio to git too. BENCH_RUNS (default 11) sets the runs.
// Run `npm run build` first.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { builtCli } from "./support/built-cli.mjs";

const cli = builtCli();
const runs = Number(process.env.BENCH_RUNS ?? 11);
const pluginCount = Number(process.env.BENCH_PLUGINS ?? 40);
const work = mkdtempSync(join(tmpdir(), "agent-bench-mkt-add-"));
const cleanEnv = { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", NO_COLOR: "1" };
const identity = { GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.invalid", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.invalid" };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function git(cwd, args) {
  return execFileSync("git", args, { cwd, env: { ...cleanEnv, ...identity }, encoding: "utf8" }).trim();
}

function makeRepo(root) {
  const src = join(work, "src");
  mkdirSync(src);
  git(src, ["init", "-q", "-b", "main"]);
  for (let commit = 0; commit < 3; commit++) {
    const entries = [];
    for (let i = 0; i < pluginCount; i++) {
      const name = `plugin-${i}`;
      const dir = join(src, "plugins", name);
      write(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name, version: `1.${commit}.0`, description: `plugin ${i}` }, null, 2));
      for (let s = 0; s < 3; s++) write(join(dir, "skills", `s${s}`, "SKILL.md"), `---\nname: s${s}\ndescription: skill ${s} of ${name}\n---\n${"Do the thing. ".repeat(40 + commit)}\n`);
      write(join(dir, "README.md"), `# ${name}\n\n${"Words about the plugin. ".repeat(60)}\n`);
      entries.push({ name, source: `./plugins/${name}`, version: `1.${commit}.0`, description: `plugin ${i}` });
    }
    write(join(src, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "bench-mkt", owner: { name: "bench" }, plugins: entries }, null, 2));
    git(src, ["add", "-A"]);
    git(src, ["commit", "-q", "-m", `commit ${commit}`]);
  }
  git(root, ["clone", "-q", "--bare", src, join(root, "bench.git")]);
}

/** A smart-HTTP git server on 127.0.0.1: node http in front of `git http-backend`. */
async function startServer(root) {
  const backend = join(execFileSync("git", ["--exec-path"], { encoding: "utf8" }).trim(), "git-http-backend");
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const child = spawn(backend, [], {
      env: {
        ...cleanEnv,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let sent = false;
    child.stdout.on("data", (chunk) => {
      if (sent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") res.statusCode = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      sent = true;
      res.write(head.subarray(end + 4));
    });
    child.on("close", () => res.end());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/bench.git`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Wall time in ms, and CPU time (user+sys of the process and its children) when /usr/bin/time exists. */
function timed(command, args, env) {
  const [bin, argv] = timeBin ? [timeBin, ["-f", "@cpu %U %S", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, argv, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      const cpu = /@cpu ([\d.]+) ([\d.]+)/.exec(stderr);
      code === 0 ? resolve({ wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN }) : reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr}`));
    });
  });
}

const root = join(work, "srv");
mkdirSync(root);
makeRepo(root);
const server = await startServer(root);
try {
  const agent = [];
  const clone = [];
  const bare = [];
  const wrapped = [];
  // the least any Node CLI can do: start, run the same clone, exit
  const wrapper = `process.exit(require("node:child_process").spawnSync("git", ["clone", "-q", "--depth", "1", ...process.argv.slice(1)], { stdio: "inherit" }).status ?? 1)`;
  // one warm-up of each (page cache), not counted
  for (let i = -1; i < runs; i++) {
    const home = join(work, `home-${i}`);
    const a = await timed(process.execPath, [cli, "plugin", "marketplace", "add", server.url], { ...cleanEnv, AGENT_HOME: home });
    const g = await timed("git", ["clone", "-q", "--depth", "1", server.url, join(work, `clone-${i}`)], cleanEnv);
    const n = await timed(process.execPath, ["-e", "0"], cleanEnv);
    const w = await timed(process.execPath, ["-e", wrapper, server.url, join(work, `wrapped-${i}`)], cleanEnv);
    if (i >= 0) {
      agent.push(a);
      clone.push(g);
      bare.push(n);
      wrapped.push(w);
    }
  }
  const med = (list, key) => median(list.map((r) => r[key]));
  const [a, g, n, w] = [agent, clone, bare, wrapped].map((list) => med(list, "wall"));
  const [ac, gc] = [agent, clone].map((list) => med(list, "cpu"));
  console.log(`marketplace add of a ${pluginCount}-plugin git marketplace over loopback smart HTTP, median of ${runs}`);
  console.log(`  agent plugin marketplace add  ${a.toFixed(1)} ms wall  ${ac.toFixed(0)} ms cpu`);
  console.log(`  git clone --depth 1           ${g.toFixed(1)} ms wall  ${gc.toFixed(0)} ms cpu`);
  console.log(`  node -e 0 (start-up floor)    ${n.toFixed(1)} ms wall`);
  console.log(`  node running only the clone   ${w.toFixed(1)} ms wall = ${(w / g).toFixed(2)}x git: the floor of any Node CLI`);
  console.log(`  ratio agent/git               ${(a / g).toFixed(2)}x wall (target ≤ 1.3x), ${(ac / gc).toFixed(2)}x cpu`);
  console.log(`  load average                  ${(await import("node:os")).loadavg()[0].toFixed(1)} on ${(await import("node:os")).cpus().length} cores`);
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
