import { parentPort } from "node:worker_threads";
import { takeAll, type CheckWork, type CheckWorkerResult } from "./check-listed-in-parallel.js";

// A thread of a CheckWorkerPool: loaded before its work arrives; takes plugins from the shared counter
// until none is left, sends back what it checked, and exits.
parentPort!.once("message", (work: CheckWork) => {
  const result: CheckWorkerResult = [];
  takeAll(work, (index, check) => result.push([index, check]));
  parentPort!.postMessage(result);
  parentPort!.close();
});
