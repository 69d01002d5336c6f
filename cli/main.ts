#!/usr/bin/env node
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The bundled CLI (scripts/bundle.mjs, run by `npm run build`) starts several times faster than the
 * hundreds of modules tsc writes; it is used while it is at least as new as the last tsc build, so a
 * `tsc` run without a fresh bundle never runs stale code.
 */
function bundleIsCurrent(): boolean {
  const mtime = (path: string) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime("./chunks/run-cli.cjs");
  return bundled !== undefined && bundled >= (mtime("../.tsbuildinfo") ?? 0);
}

const argv = process.argv.slice(2);
const debug = argv.includes("--debug") || process.env.AGENT_DEBUG === "1";
if (debug) process.setSourceMapsEnabled(true); // stack traces name dist/ modules, not chunks
const runCli = bundleIsCurrent()
  ? (await import("./load-bundle.js")).loadBundledCli(fileURLToPath(new URL("./chunks/", import.meta.url)), { plain: debug })
  : ((await import("./run-cli.js")) as typeof import("./run-cli.js")).runCli;
const status = await runCli(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = status;
