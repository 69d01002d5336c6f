import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkListedPlugin, type DirListings, type ListedPlugin, type ListedPluginCheck } from "./check-listed-plugins.js";

/** What a check worker is given: the plugins, and the counter every thread takes the next index from. */
export interface CheckWorkerData {
  root: string;
  realRoot: string | undefined;
  plugins: readonly ListedPlugin[];
  next: SharedArrayBuffer;
}

/** A worker's answer: each index it took, with that plugin's check. */
export type CheckWorkerResult = [index: number, check: ListedPluginCheck][];

export interface ParallelOptions {
  /** the built worker entry (dist/registry/validate/check-listed-worker.js) */
  workerScript: string | URL;
  /** extra threads; default: one per core beyond the first, at most 3 */
  workers?: number;
}

/** Fewer listed plugins than this are checked on the calling thread alone: a worker's start-up costs more. */
export const parallelThreshold = 64;

/**
 * checkListedPlugins on several threads: the calling thread and the workers take plugins one at a time
 * from a shared counter, so a worker that starts late (or never) only does less. Results come back in
 * `plugins` order, the same as the single-threaded check gives; a plugin a failed worker had taken is
 * checked again here.
 */
export async function checkListedInParallel(root: string, realRoot: string | undefined, plugins: readonly ListedPlugin[], options: ParallelOptions): Promise<ListedPluginCheck[]> {
  const count = options.workers ?? Math.min(availableParallelism() - 1, 3);
  const next = new SharedArrayBuffer(4);
  const data: CheckWorkerData = { root, realRoot, plugins, next };
  const results: (ListedPluginCheck | undefined)[] = new Array(plugins.length);
  const answers = plugins.length < parallelThreshold ? [] : Array.from({ length: Math.max(0, count) }, () => runWorker(options.workerScript, data));
  takeAll(data, (index, check) => (results[index] = check));
  for (const answer of await Promise.all(answers)) for (const [index, check] of answer) results[index] = check;
  const listings: DirListings = new Map();
  return results.map((check, index) => check ?? checkListedPlugin(root, realRoot, plugins[index]!, listings));
}

/** Checks plugins by the shared counter until none is left (run by the caller and by each worker). */
export function takeAll(data: CheckWorkerData, done: (index: number, check: ListedPluginCheck) => void): void {
  const next = new Int32Array(data.next);
  const listings: DirListings = new Map();
  for (let index = Atomics.add(next, 0, 1); index < data.plugins.length; index = Atomics.add(next, 0, 1)) done(index, checkListedPlugin(data.root, data.realRoot, data.plugins[index]!, listings));
}

/** One worker's results; none when it fails to start or dies (the caller then checks what it had taken). */
function runWorker(script: string | URL, data: CheckWorkerData): Promise<CheckWorkerResult> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: data });
    } catch {
      return resolve([]);
    }
    worker.once("message", (result: CheckWorkerResult) => resolve(result));
    worker.once("error", () => resolve([]));
    worker.once("exit", () => resolve([]));
  });
}
