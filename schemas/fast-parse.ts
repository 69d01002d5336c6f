import type { z } from "zod";

/**
 * A quicker safeParse for the plain JSON and YAML a plugin holds: it walks the schema's definition for
 * the parts it knows exactly (objects, records, arrays, unions, strings with length limits, prefixes or
 * patterns, booleans, enums, literals, defaults, nullables, and refinements of any of them) and returns
 * what zod's parse returns, key order included. On anything else, and on every value zod would reject,
 * it hands over to zod's own safeParse, so the result (and every issue) is always zod's.
 */
export function safeParseFast<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const fast = parseSure(schema as unknown as SchemaNode, value);
  if (fast) return { success: true, data: fast.data as z.output<S> };
  return schema.safeParse(value);
}

/**
 * The walk alone, on a zod schema or on a node of the parse graph baked into the bundle (the same
 * definitions as plain objects: schemas/bake-parsers.ts): zod's data when the walk is sure the value
 * parses, else undefined, and zod decides.
 */
export function parseSure(node: SchemaNode, value: unknown): { data: unknown } | undefined {
  const result = parserOf(node)(value);
  return result === unsure || result === reject ? undefined : result;
}

/** zod would fail on the value */
const reject = Symbol("reject");
/** this walk cannot tell: zod decides */
const unsure = Symbol("unsure");
type Result = { data: unknown } | typeof reject | typeof unsure;

/** A check of a schema node, as far as the walk reads it. */
export interface Check {
  _zod: { def: { check: string; minimum?: number; maximum?: number; prefix?: string; fn?: (value: unknown) => unknown; value?: unknown; inclusive?: boolean; format?: string; pattern?: unknown } };
}
/** A schema node's definition, as far as the walk reads it. */
export interface Def {
  type: string;
  /** a string or number format schema (z.url(), z.int(), …) checks more than its type */
  format?: string;
  checks?: Check[];
  shape?: Record<string, SchemaNode>;
  catchall?: SchemaNode;
  element?: SchemaNode;
  options?: SchemaNode[];
  innerType?: SchemaNode;
  defaultValue?: unknown;
  entries?: Record<string, unknown>;
  values?: unknown[];
  keyType?: SchemaNode;
  valueType?: SchemaNode;
  partial?: boolean;
}
/** A zod schema, or a node of the baked parse graph: what the walk reads of either. */
export interface SchemaNode {
  _zod: { def: Def };
}

type Parser = (value: unknown) => Result;

/** One parser per schema node, built on first use: the walk then reads no schema definitions. */
const compiled = new WeakMap<SchemaNode, Parser>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function parserOf(node: SchemaNode): Parser {
  let parser = compiled.get(node);
  if (!parser) {
    // a recursive schema reaches itself while being built: it goes through this indirection
    let built: Parser | undefined;
    compiled.set(node, (value) => (built ? built(value) : unsure));
    built = build(node);
    compiled.set(node, built);
    parser = built;
  }
  return parser;
}

function build(node: SchemaNode): Parser {
  const def = node._zod.def;
  const parse = buildUnchecked(def);
  if (!def.checks?.length || def.type === "string" || def.type === "number" || def.type === "boolean") return parse;
  // a refinement of an object, array or union runs, as in zod, on the output once the rest parsed
  const checks = checksOf(def, def.type === "array" ? arrayLengthCheck : () => undefined);
  return (value) => {
    const result = parse(value);
    return result === reject || result === unsure ? result : checks(result.data);
  };
}

/** The parser of a node, its own checks left out unless it is a string, number or boolean. */
function buildUnchecked(def: Def): Parser {
  switch (def.type) {
    case "string": {
      if (def.format !== undefined) return () => unsure;
      const checks = checksOf(def, stringCheck);
      return (value) => (typeof value !== "string" ? reject : checks(value));
    }
    case "boolean": {
      const checks = checksOf(def, () => undefined);
      return (value) => (typeof value !== "boolean" ? reject : checks(value));
    }
    case "number": {
      if (def.format !== undefined) return () => unsure;
      const checks = checksOf(def, (c) => (c.check === "greater_than" && typeof c.value === "number" && !c.inclusive ? (v) => ((v as number) > (c.value as number) ? true : undefined) : undefined));
      return (value) => (typeof value !== "number" ? reject : Number.isFinite(value) ? checks(value) : unsure);
    }
    case "unknown":
    case "any":
      return (value) => ({ data: value });
    case "enum": {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => (values.has(value) ? { data: value } : reject);
    }
    case "literal": {
      const values = def.values ?? [];
      return (value) => (values.includes(value) ? { data: value } : reject);
    }
    case "nullable": {
      const inner = parserOf(def.innerType!);
      return (value) => (value === null ? { data: null } : inner(value));
    }
    case "optional":
    case "default": {
      const inner = parserOf(def.innerType!);
      return (value) => (value === undefined ? unsure : inner(value));
    }
    case "array":
      return arrayParser(parserOf(def.element!));
    case "object":
      return objectParser(def);
    case "record":
      return recordParser(def);
    case "union": {
      // zod returns the first option that parses: an option this walk cannot decide stops the walk
      const options = (def.options ?? []).map(parserOf);
      return (value) => {
        for (const option of options) {
          const result = option(value);
          if (result !== reject) return result;
        }
        return reject;
      };
    }
    default:
      return () => unsure;
  }
}

type CheckFn = (value: unknown) => true | false | undefined;

/** A string length limit, prefix or regular expression, tested as zod tests it; undefined for other checks. */
function stringCheck(c: Check["_zod"]["def"]): CheckFn | undefined {
  if (c.check === "min_length" && typeof c.minimum === "number") {
    const minimum = c.minimum;
    return (v) => ((v as string).length >= minimum ? true : undefined);
  }
  if (c.check === "max_length" && typeof c.maximum === "number") {
    // zod counts code points, never more than UTF-16 units: within the limit in units is within it
    const maximum = c.maximum;
    return (v) => ((v as string).length <= maximum ? true : undefined);
  }
  if (c.check === "string_format" && c.format === "starts_with" && typeof c.prefix === "string") {
    const prefix = c.prefix;
    return (v) => (v as string).startsWith(prefix);
  }
  if (c.check === "string_format" && c.format === "regex" && c.pattern instanceof RegExp) {
    const pattern = c.pattern;
    return (v) => {
      pattern.lastIndex = 0;
      return pattern.test(v as string);
    };
  }
  return undefined;
}

/** An array's length limit, as zod tests it; undefined for other checks. */
function arrayLengthCheck(c: Check["_zod"]["def"]): CheckFn | undefined {
  if (c.check === "min_length" && typeof c.minimum === "number") {
    const minimum = c.minimum;
    return (v) => (v as unknown[]).length >= minimum;
  }
  if (c.check === "max_length" && typeof c.maximum === "number") {
    const maximum = c.maximum;
    return (v) => (v as unknown[]).length <= maximum;
  }
  return undefined;
}

/**
 * The checks of a node as one function: the value when each passes, reject when one
 * fails for sure (a refinement said false), unsure when a check is not known here or may fail.
 */
function checksOf(def: Def, known: (c: Check["_zod"]["def"]) => CheckFn | undefined): (value: unknown) => Result {
  const fns: CheckFn[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "custom" && typeof c.fn === "function") {
      const fn = c.fn;
      fns.push((value) => {
        try {
          const verdict = fn(value);
          return verdict === true ? true : verdict === false ? false : undefined;
        } catch {
          return undefined;
        }
      });
      continue;
    }
    const fn = known(c);
    if (!fn) return () => unsure;
    fns.push(fn);
  }
  if (fns.length === 0) return (value) => ({ data: value });
  return (value) => {
    for (const fn of fns) {
      const verdict = fn(value);
      if (verdict !== true) return verdict === false ? reject : unsure;
    }
    return { data: value };
  };
}

function arrayParser(element: Parser): Parser {
  return (value) => {
    if (!Array.isArray(value)) return reject;
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return unsure;
      const result = element(value[i]);
      if (result === reject || result === unsure) return result;
      out[i] = result.data;
    }
    return { data: out };
  };
}

function objectParser(def: Def): Parser {
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== "unknown" && catchall !== "never") return () => unsure;
  const loose = catchall === "unknown";
  const shape = def.shape ?? {};
  const fields = Object.keys(shape).map((key) => {
    const node = shape[key]!;
    const type = node._zod.def.type;
    return { key, node, absent: type === "optional" ? ("omit" as const) : type === "default" ? ("default" as const) : ("unsure" as const), parse: undefined as Parser | undefined };
  });
  const known = new Set(fields.map((f) => f.key));
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return reject;
    if (!isPlainObject(value) || Object.hasOwn(value, "__proto__")) return unsure;
    const out: Record<string, unknown> = {};
    // zod's output: the shape's keys in shape order, then (loose objects) the other keys in input order
    for (const field of fields) {
      if (!Object.hasOwn(value, field.key)) {
        if (field.absent === "omit") continue;
        if (field.absent === "unsure") return unsure;
        out[field.key] = field.node._zod.def.defaultValue;
        continue;
      }
      field.parse ??= parserOf(field.node);
      const result = field.parse(value[field.key]);
      if (result === reject || result === unsure) return result;
      out[field.key] = result.data;
    }
    for (const key of Object.keys(value)) {
      if (known.has(key)) continue;
      if (!loose) return unsure; // dropped (strip) or refused (strict): zod says which
      out[key] = value[key];
    }
    return { data: out };
  };
}

function recordParser(def: Def): Parser {
  const keyDef = def.keyType?._zod.def;
  if (!keyDef || (keyDef.type === "enum" && !def.partial) || (keyDef.type !== "enum" && keyDef.type !== "string")) return () => unsure;
  const keyParser = parserOf(def.keyType!);
  const valueParser = parserOf(def.valueType!);
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return reject;
    if (!isPlainObject(value) || Object.hasOwn(value, "__proto__")) return unsure;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const keyResult = keyParser(key);
      if (keyResult === reject || keyResult === unsure) return unsure;
      const result = valueParser(value[key]);
      if (result === reject || result === unsure) return result;
      out[key] = result.data;
    }
    return { data: out };
  };
}
