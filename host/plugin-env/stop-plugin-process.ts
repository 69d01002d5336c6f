import type { ChildProcess } from "node:child_process";

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Resolves once every pipe of the child is closed: every process that held one (the whole sandbox) is gone. */
function closed(child: ChildProcess, ms: number): Promise<void> {
  if (child.stdio.every((stream) => !stream || stream.destroyed)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Ends a plugin process: close its stdin, give it `graceMs` to exit, then SIGKILL (bubblewrap takes the
 * whole sandbox down with it). Returns once the sandbox's processes are gone too (their end of the pipes
 * closed), or after a short bound.
 */
export async function stopPluginProcess(child: ChildProcess, graceMs = 1000): Promise<void> {
  try {
    child.stdin?.end();
  } catch {
    // already closed
  }
  if (!(await exited(child, graceMs))) {
    child.kill("SIGKILL");
    await exited(child, 2000);
  }
  await closed(child, 1000);
  // A process left behind in the sandbox may still hold the other ends: let go of every pipe so the host can exit.
  for (const stream of child.stdio) stream?.destroy();
}

/** The last `limit` characters a process wrote to stderr, for error messages. */
export function stderrTail(child: ChildProcess, limit = 2000): () => string {
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-limit);
  });
  return () => tail.trim();
}
