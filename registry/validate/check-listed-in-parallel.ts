import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkListedPlugin, type DirListings, type ListedPlugin, type ListedPluginCheck } from "./check-listed-plugins.js";

/** The work a check worker is sent: the plugins, and the counter every thread takes the next index from. */
export interface CheckWork {
  root: string;
  realRoot: string | undefined;
  plugins: readonly ListedPlugin[];
  next: SharedArrayBuffer;
}

/** A worker's answer: each index it took, with that plugin's check. */
export type CheckWorkerResult = [index: number, check: ListedPluginCheck][];

/** Fewer listed plugins than this are checked on the calling thread alone: a worker's start-up costs more. */
export const parallelThreshold = 64;

/**
 * Threads that check listed plugins alongside the calling one. They start (and load the checks) as soon
 * as the pool is made, so a caller makes it first and reads the marketplace meanwhile; a pool that gets
 * no work, or too little, is closed unused.
 */
export class CheckWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly answers: Promise<CheckWorkerResult>[] = [];

  /** `script`: the built worker entry (dist/cli/check-listed-worker-entry.cjs); `count`: default one per core beyond the first, at most 3. */
  constructor(script: string | URL, count = Math.min(availableParallelism() - 1, 3)) {
    for (let i = 0; i < count; i++) {
      let worker: Worker;
      try {
        worker = new Worker(script);
      } catch {
        continue;
      }
      this.workers.push(worker);
      // none when it fails to start or dies: the caller then checks what it had taken
      this.answers.push(
        new Promise((resolve) => {
          worker.once("message", (result: CheckWorkerResult) => resolve(result));
          worker.once("error", () => resolve([]));
          worker.once("exit", () => resolve([]));
        }),
      );
    }
  }

  /**
   * checkListedPlugins on this thread and the pool's: each takes plugins one at a time from a shared
   * counter, so a worker that starts late (or never) only does less. Results come back in `plugins`
   * order, the same as the single-threaded check gives; a plugin a failed worker had taken is checked
   * again here. The pool is used up.
   */
  async check(root: string, realRoot: string | undefined, plugins: readonly ListedPlugin[]): Promise<ListedPluginCheck[]> {
    const work: CheckWork = { root, realRoot, plugins, next: new SharedArrayBuffer(4) };
    const answers = plugins.length < parallelThreshold ? [] : this.answers;
    if (answers.length) for (const worker of this.workers) worker.postMessage(work);
    else this.close();
    const results: (ListedPluginCheck | undefined)[] = new Array(plugins.length);
    takeAll(work, (index, check) => (results[index] = check));
    for (const answer of await Promise.all(answers)) for (const [index, check] of answer) results[index] = check;
    const listings: DirListings = new Map();
    return results.map((check, index) => check ?? checkListedPlugin(root, realRoot, plugins[index]!, listings));
  }

  /** Stops the workers (they exit by themselves once they have answered). */
  close(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Checks plugins by the shared counter until none is left (run by the caller and by each worker). */
export function takeAll(work: CheckWork, done: (index: number, check: ListedPluginCheck) => void): void {
  const next = new Int32Array(work.next);
  const listings: DirListings = new Map();
  for (let index = Atomics.add(next, 0, 1); index < work.plugins.length; index = Atomics.add(next, 0, 1)) done(index, checkListedPlugin(work.root, work.realRoot, work.plugins[index]!, listings));
}
