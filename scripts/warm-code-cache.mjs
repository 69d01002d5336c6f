#!/usr/bin/env node
// Writes V8's code cache of each chunk of the bundled CLI, then packs the chunks and their caches into
// dist/cli/chunks/chunks.pack (cli/load-bundle.cts: writeChunkPack):
// runs a few everyday commands in this one process — help, validate, marketplace list, install from the
// built-in marketplace into a throwaway home, list, details, run --dry-run, and `run` against a model
// API on 127.0.0.1 that refuses the request (so the model client's code loads) — then saves, for every
// chunk they loaded, the bytecode of the functions they ran. dist/cli/main.cjs compiles from it, so a
// command does not parse and compile the same code on every start. Commands that run under another V8
// tuning (`plugin validate`: cli/load-bundle.cts) need a cache written under it: this script runs itself
// again with --tuning=batch for those. Nothing here starts a plugin process or leaves the machine. Run
// after scripts/bundle.mjs (npm run build does both).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { loadBundledCli, tuningFor, writeChunkPack, writeCodeCache } = await import(join(root, "dist/cli/load-bundle.cjs"));
const { parallelThreshold } = await import(join(root, "dist/registry/validate/check-listed-in-parallel.js"));
const tuning = process.argv.includes("--tuning=batch") ? "batch" : "default";
const runCli = loadBundledCli(join(root, "dist/cli/chunks"), { tuning });
const home = mkdtempSync(join(tmpdir(), "agent-warm-home-"));
const project = mkdtempSync(join(tmpdir(), "agent-warm-project-"));
const builtin = join(root, "fixtures/marketplaces/agent-builtin");

// a marketplace big enough for validate to check its plugins on several threads
const many = join(project, "many");
const manyPlugins = Array.from({ length: parallelThreshold * 2 }, (_, i) => ({ name: `p${i}`, source: `./plugins/p${i}` }));
for (const { name } of manyPlugins) {
  mkdirSync(join(many, "plugins", name, ".claude-plugin"), { recursive: true });
  writeFileSync(join(many, "plugins", name, ".claude-plugin", "plugin.json"), JSON.stringify({ name, version: "1.0.0" }));
}
mkdirSync(join(many, ".claude-plugin"));
writeFileSync(join(many, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "many", owner: { name: "warm-up" }, plugins: manyPlugins }));

// the default pass runs them all: the checks validate runs are also loaded, under the default tuning, by
// commands such as pack and publish; the batch pass runs those of its own tuning
const commands = [
  ["--version"],
  ["--help"],
  ["plugin", "validate", builtin, "--json"],
  ["plugin", "validate", builtin],
  ["plugin", "validate", many],
  ["run", "--dry-run", "--json"],
  ["plugin", "marketplace", "list", "--json"],
  ["plugin", "install", "starter@agent-builtin", "--yes"],
  ["plugin", "list"],
  ["plugin", "list", "--json", "--available"],
  ["plugin", "details", "starter@agent-builtin", "--json"],
  ["plugin", "why", "core-tools@agent-builtin"],
];

// answers every request with a 400 the model client does not retry
const refusingModel = createServer((req, res) => {
  req.resume();
  res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "warm-up" } }));
});
await new Promise((resolve) => refusingModel.listen(0, "127.0.0.1", resolve));
const modelEnv = { ANTHROPIC_BASE_URL: `http://127.0.0.1:${refusingModel.address().port}`, ANTHROPIC_API_KEY: "warm-up" };

// the builder's own agent and model settings (AGENT_CLAUDE_HOME, AGENT_MANAGED_SETTINGS, ANTHROPIC_*) stay out
const isolatedEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AGENT_") && !name.startsWith("ANTHROPIC_")));
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const failed = [];
const run = async (argv, env = {}) => {
  const stdin = new PassThrough();
  stdin.end();
  return runCli(argv, { stdin, stdout: sink(), stderr: sink(), env: { ...isolatedEnv, AGENT_HOME: home, NO_COLOR: "1", ...env }, cwd: project });
};
try {
  // first, while no plugin is installed (so no plugin process starts): refused by the model, it exits
  // non-zero having loaded the model client and the query loop
  if (tuning === "default") await run(["run", "hi"], modelEnv);
  for (const argv of commands.filter((argv) => tuning === "default" || tuningFor(argv) === tuning)) {
    const status = await run(argv);
    if (status !== 0) failed.push(`agent ${argv.join(" ")} (exit ${status})`);
  }
  const written = writeCodeCache();
  console.log(`code cache${tuning === "default" ? "" : ` (${tuning} tuning)`}: ${written.length} chunks${failed.length ? ` (these warm-up commands failed, their code is compiled on first use: ${failed.join(", ")})` : ""}`);
  if (tuning === "default") {
    const batch = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--tuning=batch"], { stdio: "inherit" });
    if (batch.status !== 0) process.exitCode = batch.status ?? 1;
    else {
      const pack = writeChunkPack(join(root, "dist/cli/chunks"));
      console.log(`chunk pack: ${pack.chunks} chunks, ${(pack.bytes / 1024 / 1024).toFixed(1)} MiB`);
    }
  }
} finally {
  refusingModel.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}
