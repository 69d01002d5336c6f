import { parentPort, workerData } from "node:worker_threads";
import { takeAll, type CheckWorkerData, type CheckWorkerResult } from "./check-listed-in-parallel.js";

// A thread of checkListedInParallel: takes plugins from the shared counter until none is left, then
// sends back what it checked.
const result: CheckWorkerResult = [];
takeAll(workerData as CheckWorkerData, (index, check) => result.push([index, check]));
parentPort!.postMessage(result);
