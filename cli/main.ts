#!/usr/bin/env node
import { statSync } from "node:fs";

/**
 * The bundled CLI (scripts/bundle.mjs, run by `npm run build`) starts several times faster than the
 * hundreds of modules tsc writes; it is used while it is at least as new as the last tsc build, so a
 * `tsc` run without a fresh bundle never runs stale code.
 */
function entry(): string {
  const mtime = (path: string) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime("./chunks/run-cli.js");
  return bundled !== undefined && bundled >= (mtime("../.tsbuildinfo") ?? 0) ? "./chunks/run-cli.js" : "./run-cli.js";
}

const argv = process.argv.slice(2);
if (argv.includes("--debug") || process.env.AGENT_DEBUG === "1") process.setSourceMapsEnabled(true); // stack traces name dist/ modules, not chunks
const { runCli } = (await import(entry())) as typeof import("./run-cli.js");
const status = await runCli(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = status;
