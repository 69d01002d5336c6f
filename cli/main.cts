#!/usr/bin/env node
// The bin. It is CommonJS: a CommonJS entry does not start Node's ES module loader, which costs every
// command about 10 ms before it runs any of its own code.
import { join } from "node:path";
import { lazyStdin, lazyStdio } from "./lazy-stdio.cjs";
import { bundleIsCurrent, loadBundledCli, tuningFor } from "./load-bundle.cjs";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const debug = argv.includes("--debug") || process.env.AGENT_DEBUG === "1";
  if (debug) process.setSourceMapsEnabled(true); // stack traces name dist/ modules, not chunks
  const runCli = bundleIsCurrent()
    ? loadBundledCli(join(__dirname, "chunks"), { plain: debug, tuning: tuningFor(argv) })
    : ((await import("./run-cli.js")) as typeof import("./run-cli.js")).runCli;
  process.exitCode = await runCli(argv, {
    // made on first use: a command that reads no input does not pay for the stream
    stdin: lazyStdin(() => process.stdin),
    stdout: lazyStdio(1, () => process.stdout),
    stderr: lazyStdio(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
  });
  // With nothing left to run, end here: Node's own way out runs the tasks V8 has queued (often a garbage
  // collection) and tears the heap down first (~5 ms of a short command). A command that left work running
  // (a child process, a timer, a stream still writing) ends as Node ends it, once that work is done.
  if (idle()) process.exit();
  // until the callback of the command's last file request has returned, that request still counts as active
  setImmediate(() => idle() && process.exit());
}

const idle = () => process.getActiveResourcesInfo().length === 0;

void main();
