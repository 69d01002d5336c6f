import type { ChildProcess } from "node:child_process";

/**
 * True once the child emits `event` ("exit": bubblewrap is gone; "close": every pipe is closed, so every
 * process that held one, the whole sandbox, is gone), false after `ms`; at once when `done` already holds.
 */
function settled(child: ChildProcess, event: "exit" | "close", done: boolean, ms: number): Promise<boolean> {
  if (done) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    child.once(event, () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const exited = (child: ChildProcess, ms: number) => settled(child, "exit", child.exitCode !== null || child.signalCode !== null, ms);
const closed = (child: ChildProcess, ms: number) => settled(child, "close", child.stdio.every((stream) => !stream || stream.destroyed), ms);

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
