import type { BakedDef, PackedGraph } from "./bake-parsers.js";
import type { Check, Def, SchemaNode } from "./fast-parse.js";

/**
 * The nodes of a baked parse graph (bake-parsers.ts), as the safeParseFast walk reads them: each made on
 * first use, so a command builds only the part of the graph the values it parses reach.
 */
export function bakedNodes(graph: PackedGraph, rules: Readonly<Record<string, unknown>>): Record<string, SchemaNode> {
  const made: (SchemaNode | undefined)[] = [];
  const def = (id: number): BakedDef => JSON.parse(graph.text.slice(id === 0 ? 0 : graph.ends[id - 1], graph.ends[id])) as BakedDef;
  const node = (id: number): SchemaNode => (made[id] ??= { _zod: { def: new NodeDef(def(id), node, rules) } });
  const roots: Record<string, SchemaNode> = {};
  for (const [name, id] of Object.entries(graph.roots)) Object.defineProperty(roots, name, { get: () => node(id), enumerable: true });
  return roots;
}

class NodeDef implements Def {
  readonly type: string;
  readonly format: string | undefined;
  readonly entries: Record<string, unknown> | undefined;
  readonly values: unknown[] | undefined;
  readonly partial: boolean | undefined;
  #checks: Check[] | undefined;
  #shape: Record<string, SchemaNode> | undefined;

  constructor(
    private readonly baked: BakedDef,
    private readonly node: (id: number) => SchemaNode,
    private readonly rules: Readonly<Record<string, unknown>>,
  ) {
    this.type = baked.type;
    this.format = baked.format;
    this.entries = baked.entries;
    this.values = baked.values;
    this.partial = baked.partial;
  }

  get checks(): Check[] | undefined {
    if (!this.baked.checks) return undefined;
    return (this.#checks ??= this.baked.checks.map(({ pattern, fn, ...rest }) => ({
      _zod: {
        def: {
          ...rest,
          ...(pattern ? { pattern: new RegExp(pattern[0], pattern[1]) } : {}),
          ...(fn !== undefined && typeof this.rules[fn] === "function" ? { fn: this.rules[fn] as (value: unknown) => unknown } : {}),
        },
      },
    })));
  }

  get shape(): Record<string, SchemaNode> | undefined {
    const shape = this.baked.shape;
    if (!shape) return undefined;
    if (!this.#shape) {
      this.#shape = {};
      for (const key of Object.keys(shape)) this.#shape[key] = this.node(shape[key]!);
    }
    return this.#shape;
  }

  get options(): SchemaNode[] | undefined {
    return this.baked.options?.map(this.node);
  }

  get innerType(): SchemaNode | undefined {
    return this.ref(this.baked.innerType);
  }

  get element(): SchemaNode | undefined {
    return this.ref(this.baked.element);
  }

  get catchall(): SchemaNode | undefined {
    return this.ref(this.baked.catchall);
  }

  get keyType(): SchemaNode | undefined {
    return this.ref(this.baked.keyType);
  }

  get valueType(): SchemaNode | undefined {
    return this.ref(this.baked.valueType);
  }

  /** A fresh copy on every read, as zod's */
  get defaultValue(): unknown {
    return copy(this.baked.defaultValue);
  }

  private ref(id: number | undefined): SchemaNode | undefined {
    return id === undefined ? undefined : this.node(id);
  }
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}
