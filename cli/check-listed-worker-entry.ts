import { fileURLToPath } from "node:url";
import { bundleIsCurrent, loadBundledChunk } from "./load-bundle.js";

// A thread of a parallel `agent plugin validate` (registry/validate/check-listed-in-parallel.ts): the
// bundled worker with the build's code cache when the bundle is current, else the module tsc wrote.
if (bundleIsCurrent()) loadBundledChunk(fileURLToPath(new URL("./chunks/", import.meta.url)), "check-listed-worker.cjs");
else await import("../registry/validate/check-listed-worker.js");
