import { join } from "node:path";
import { bundleIsCurrent, inheritTuning, loadBundledChunk } from "./load-bundle.cjs";

// A thread of a parallel `agent plugin validate` (registry/validate/check-listed-in-parallel.ts): the
// bundled worker with the build's code cache when the bundle is current, else the module tsc wrote.
// CommonJS, as the bin: the thread does not start the ES module loader to run the bundle.
if (bundleIsCurrent()) {
  inheritTuning();
  loadBundledChunk(join(__dirname, "chunks"), "check-listed-worker.cjs");
} else void import("../registry/validate/check-listed-worker.js");
