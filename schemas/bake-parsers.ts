import type { Check, Def, SchemaNode } from "./fast-parse.js";

/**
 * Writes the parse graph of some zod schemas as JavaScript: the body of a function of `rules` (the module
 * schemas/rules.ts) that returns, for each name, a plain-object copy of what the safeParseFast walk reads
 * of that schema's definitions — types, shapes, options, limits, regular expressions, defaults, and each
 * refinement named by its export of rules.ts. The walk gives a value of this copy the verdict it gives
 * the schema itself. scripts/bundle.mjs bakes the graph of parsers.ts's schemas into the bundle, so the
 * installer checks its files without loading zod: zod is loaded only when a value needs its verdict.
 *
 * Only the types the walk decides are copied; any other node becomes `{ type: "opaque" }`, on which the
 * walk is never sure (zod decides), as is a refinement that is not a function of rules.ts.
 */
export function bakeParserGraph(schemas: Readonly<Record<string, SchemaNode>>, rules: Readonly<Record<string, unknown>>): string {
  const ruleNames = new Map<unknown, string>();
  for (const [name, fn] of Object.entries(rules)) if (typeof fn === "function") ruleNames.set(fn, name);
  const ids = new Map<SchemaNode, number>();
  const defs: string[] = [];
  const links: string[] = [];

  const idOf = (node: SchemaNode): number => {
    let id = ids.get(node);
    if (id === undefined) {
      id = defs.length;
      ids.set(node, id);
      defs.push(""); // reserved: a recursive schema reaches itself while it is being written
      defs[id] = nodeSource(node, id);
    }
    return id;
  };

  const nodeSource = (node: SchemaNode, id: number): string => {
    const def = node._zod.def;
    if (!walked.has(def.type)) return `{ type: "opaque" }`;
    let fields: string[];
    try {
      fields = scalarFields(def);
    } catch {
      return `{ type: "opaque" }`; // a value with no source (a class instance): zod decides
    }
    if (fields.length === 0) return `{ type: "opaque" }`;
    const refs: string[] = [];
    for (const key of ["innerType", "element", "catchall", "keyType", "valueType"] as const) {
      const ref = def[key];
      if (ref) refs.push(`${key}: n[${idOf(ref)}]`);
    }
    if (def.options) refs.push(`options: [${def.options.map((o) => `n[${idOf(o)}]`).join(", ")}]`);
    if (def.shape) refs.push(`shape: { ${Object.entries(def.shape).map(([key, value]) => `${JSON.stringify(key)}: n[${idOf(value)}]`).join(", ")} }`);
    if (refs.length) links.push(`Object.assign(n[${id}]._zod.def, { ${refs.join(", ")} });`);
    return `{ ${fields.join(", ")} }`;
  };

  /** The definition's own values, as `key: source`; none for a default that is not plain data. */
  const scalarFields = (def: Def): string[] => {
    const fields: string[] = [`type: ${JSON.stringify(def.type)}`];
    if (def.format !== undefined) fields.push(`format: ${JSON.stringify(def.format)}`);
    if (def.checks?.length) fields.push(`checks: [${def.checks.map(checkSource).join(", ")}]`);
    if (def.entries !== undefined) fields.push(`entries: ${literal(def.entries)}`);
    if (def.values !== undefined) fields.push(`values: ${literal(def.values)}`);
    if (def.partial !== undefined) fields.push(`partial: ${literal(def.partial)}`);
    if (def.type === "default") {
      // zod gives a fresh copy on every read (or calls a function for it): the copy does too, when the value is data
      const value = def.defaultValue;
      if (!sameData(value, def.defaultValue)) return [];
      fields.push(`get defaultValue() { return ${literal(value)}; }`);
    }
    return fields;
  };

  const checkSource = (check: Check): string => {
    const c = check._zod.def;
    const fields = [`check: ${JSON.stringify(c.check)}`];
    for (const key of ["minimum", "maximum", "prefix", "value", "inclusive", "format", "pattern"] as const) {
      if (c[key] !== undefined) fields.push(`${key}: ${literal(c[key])}`);
    }
    const rule = typeof c.fn === "function" ? ruleNames.get(c.fn) : undefined;
    if (rule !== undefined) fields.push(`fn: rules[${JSON.stringify(rule)}]`);
    return `{ _zod: { def: { ${fields.join(", ")} } } }`;
  };

  const roots = Object.entries(schemas).map(([name, schema]) => `${JSON.stringify(name)}: n[${idOf(schema)}]`);
  return [
    `const n = [\n${defs.map((d) => `  { _zod: { def: ${d} } },`).join("\n")}\n];`,
    ...links,
    `return { ${roots.join(", ")} };`,
  ].join("\n");
}

/** The node types the walk decides (and "never", an object's catchall when it is strict); it is unsure of all others. */
const walked = new Set(["string", "boolean", "number", "unknown", "any", "never", "enum", "literal", "nullable", "optional", "default", "array", "object", "record", "union"]);

/** A value as JavaScript source; throws on what has none (functions, class instances). */
function literal(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value); // NaN and ±Infinity are names too
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (value instanceof RegExp) return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`).join(", ")} }`;
  }
  throw new Error(`a schema holds a value the parse graph cannot copy: ${String(value)}`);
}

/** Equal data (literal() can write it), read twice alike: a default that is not a function of the time. */
function sameData(a: unknown, b: unknown): boolean {
  try {
    return literal(a) === literal(b);
  } catch {
    return false;
  }
}

