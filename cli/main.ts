#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { bundleIsCurrent, loadBundledCli } from "./load-bundle.js";

const argv = process.argv.slice(2);
const debug = argv.includes("--debug") || process.env.AGENT_DEBUG === "1";
if (debug) process.setSourceMapsEnabled(true); // stack traces name dist/ modules, not chunks
const runCli = bundleIsCurrent()
  ? loadBundledCli(fileURLToPath(new URL("./chunks/", import.meta.url)), { plain: debug })
  : ((await import("./run-cli.js")) as typeof import("./run-cli.js")).runCli;
const status = await runCli(argv, {
  // made on first use: a command that reads no input (--version) does not pay for the stream
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = status;
