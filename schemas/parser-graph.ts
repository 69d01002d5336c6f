import type { SchemaNode } from "./fast-parse.js";
import type { SchemaName } from "./parsers.js";

/**
 * The parse graph of each schema of parsers.ts (bake-parsers.ts, baked-nodes.ts). This module is a stand-in:
 * scripts/bundle.mjs puts the graph it bakes from the very schemas it bundles in its place. Run from
 * tsc's output or the sources there is none, and parsers.ts walks each schema as it loads.
 */
export const bakedGraph: Partial<Record<SchemaName, SchemaNode>> | undefined = undefined;
