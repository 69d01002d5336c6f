import type { Check, Def, SchemaNode } from "./fast-parse.js";

/**
 * The parse graph of some zod schemas as JSON data: for each node reached from the named schemas, what
 * the safeParseFast walk reads of its definition — type, shape, options, limits, regular expressions,
 * defaults — with each refinement named by its export of schemas/rules.ts and each reference to another
 * node by its index. scripts/bundle.mjs bakes the graph of parsers.ts's schemas into the bundle, and
 * bakedNodes turns it back into nodes the walk reads as it reads the schemas themselves: the installer
 * checks its files without loading zod, which loads only when a value needs its verdict.
 *
 * Only the types the walk decides are kept; any other node becomes `{ type: "opaque" }`, on which the
 * walk is never sure (zod decides), as is a refinement that is not a function of rules.ts.
 */
export interface BakedGraph {
  roots: Record<string, number>;
  nodes: BakedDef[];
}

/**
 * A baked graph as the bundle holds it: each node's JSON, one after another in one text, node i ending at
 * `ends[i]`. bakedNodes parses a node when the walk first reaches it (an install reaches ~180 of ~650),
 * not the whole graph as the bundle loads (~1 ms, and ~300 KB of memory to touch).
 */
export interface PackedGraph {
  roots: Record<string, number>;
  text: string;
  ends: number[];
}

export function packParserGraph(graph: BakedGraph): PackedGraph {
  let text = "";
  const ends: number[] = [];
  for (const node of graph.nodes) {
    text += JSON.stringify(node);
    ends.push(text.length);
  }
  return { roots: graph.roots, text, ends };
}

export interface BakedDef {
  type: string;
  format?: string;
  checks?: BakedCheck[];
  entries?: Record<string, unknown>;
  values?: unknown[];
  partial?: boolean;
  defaultValue?: unknown;
  innerType?: number;
  element?: number;
  catchall?: number;
  keyType?: number;
  valueType?: number;
  options?: number[];
  shape?: Record<string, number>;
}

interface BakedCheck {
  check: string;
  minimum?: number;
  maximum?: number;
  prefix?: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  /** source and flags of a RegExp */
  pattern?: [string, string];
  /** the export of rules.ts the refinement is */
  fn?: string;
}

export function bakeParserGraph(schemas: Readonly<Record<string, SchemaNode>>, rules: Readonly<Record<string, unknown>>): BakedGraph {
  const ruleNames = new Map<unknown, string>();
  for (const [name, fn] of Object.entries(rules)) if (typeof fn === "function") ruleNames.set(fn, name);
  const ids = new Map<SchemaNode, number>();
  const nodes: BakedDef[] = [];

  const idOf = (node: SchemaNode): number => {
    let id = ids.get(node);
    if (id === undefined) {
      id = nodes.length;
      ids.set(node, id);
      nodes.push({ type: "opaque" }); // reserved: a recursive schema reaches itself while it is being baked
      nodes[id] = bake(node._zod.def);
    }
    return id;
  };

  const bake = (def: Def): BakedDef => {
    if (!walked.has(def.type)) return { type: "opaque" };
    const baked: BakedDef = { type: def.type };
    if (def.format !== undefined) baked.format = def.format;
    if (def.checks?.length) baked.checks = def.checks.map(bakeCheck);
    for (const key of ["entries", "values", "partial"] as const) {
      if (def[key] === undefined) continue;
      if (!isJsonData(def[key])) return { type: "opaque" };
      (baked as unknown as Record<string, unknown>)[key] = def[key];
    }
    if (def.type === "default") {
      // zod gives a fresh copy on every read, or calls a function for it: kept when it is data, the same on each read
      const value = def.defaultValue;
      if (!isJsonData(value) || JSON.stringify(value) !== JSON.stringify(def.defaultValue)) return { type: "opaque" };
      baked.defaultValue = value;
    }
    for (const key of ["innerType", "element", "catchall", "keyType", "valueType"] as const) {
      const ref = def[key];
      if (ref) baked[key] = idOf(ref);
    }
    if (def.options) baked.options = def.options.map(idOf);
    if (def.shape) baked.shape = Object.fromEntries(Object.entries(def.shape).map(([key, node]) => [key, idOf(node)]));
    return baked;
  };

  const bakeCheck = (check: Check): BakedCheck => {
    const c = check._zod.def;
    const baked: BakedCheck = { check: c.check };
    for (const key of ["minimum", "maximum", "prefix", "value", "inclusive", "format"] as const) {
      if (c[key] === undefined) continue;
      if (!isJsonData(c[key])) return { check: "opaque" }; // the walk knows no such check: zod decides
      (baked as unknown as Record<string, unknown>)[key] = c[key];
    }
    if (c.pattern instanceof RegExp) baked.pattern = [c.pattern.source, c.pattern.flags];
    const rule = typeof c.fn === "function" ? ruleNames.get(c.fn) : undefined;
    if (rule !== undefined) baked.fn = rule;
    return baked;
  };

  const roots = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, idOf(schema)]));
  return { roots, nodes };
}

/** The node types the walk decides (and "never", an object's catchall when it is strict); it is unsure of all others. */
const walked = new Set(["string", "boolean", "number", "unknown", "any", "never", "enum", "literal", "nullable", "optional", "default", "array", "object", "record", "union"]);

/** A value JSON keeps as it is: no undefined, NaN, ±Infinity, -0, bigint, function or class instance. */
function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isJsonData);
  return false;
}
