#!/usr/bin/env node
// Writes V8's code cache beside each chunk of the bundled CLI (dist/cli/chunks/<chunk>.cjs.v8-cache):
// runs a few everyday commands in this one process — help, validate, marketplace list, install from the
// built-in marketplace into a throwaway home, list, details, run --dry-run — then saves, for every
// chunk they loaded, the bytecode of the functions they ran. dist/cli/main.js compiles from it, so a
// command does not parse and compile the same code on every start. Nothing here starts a plugin
// process or touches the network. Run after scripts/bundle.mjs (npm run build does both).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { loadBundledCli, writeCodeCache } = await import(join(root, "dist/cli/load-bundle.js"));
const runCli = loadBundledCli(join(root, "dist/cli/chunks"));
const home = mkdtempSync(join(tmpdir(), "agent-warm-home-"));
const project = mkdtempSync(join(tmpdir(), "agent-warm-project-"));
const builtin = join(root, "fixtures/marketplaces/agent-builtin");

const commands = [
  ["--version"],
  ["--help"],
  ["plugin", "validate", builtin, "--json"],
  ["plugin", "validate", builtin],
  ["run", "--dry-run", "--json"],
  ["plugin", "marketplace", "list", "--json"],
  ["plugin", "install", "starter@agent-builtin", "--yes"],
  ["plugin", "list"],
  ["plugin", "list", "--json", "--available"],
  ["plugin", "details", "starter@agent-builtin", "--json"],
  ["plugin", "why", "core-tools@agent-builtin"],
];

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const failed = [];
try {
  for (const argv of commands) {
    const stdin = new PassThrough();
    stdin.end();
    const status = await runCli(argv, { stdin, stdout: sink(), stderr: sink(), env: { ...process.env, AGENT_HOME: home, NO_COLOR: "1" }, cwd: project });
    if (status !== 0) failed.push(`agent ${argv.join(" ")} (exit ${status})`);
  }
  const written = writeCodeCache();
  console.log(`code cache: ${written.length} chunks${failed.length ? ` (these warm-up commands failed, their code is compiled on first use: ${failed.join(", ")})` : ""}`);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}
