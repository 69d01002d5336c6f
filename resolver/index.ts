/** The resolver's public surface: pure functions over plain data (no I/O, no clock, no randomness). */
export { resolve } from "./resolve.js";
export { why, dependencyChains } from "./why.js";
export { orphans, reachable, blockingDependents, type InstalledEntry } from "./orphans.js";
export { dependencyOrder } from "./dependency-order.js";
export { closestNames, editDistance } from "./closest-names.js";
export type * from "./resolver-types.js";
