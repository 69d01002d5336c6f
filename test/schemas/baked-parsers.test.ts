import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { bakeParserGraph, packParserGraph } from "../../schemas/bake-parsers.js";
import { bakedNodes } from "../../schemas/baked-nodes.js";
import { parseSure, type SchemaNode } from "../../schemas/fast-parse.js";
import { parseAs, schemaLoaders, type SchemaName } from "../../schemas/parsers.js";
import * as rules from "../../schemas/rules.js";

const schemas = Object.fromEntries(await Promise.all(Object.entries(schemaLoaders).map(async ([name, load]) => [name, await load()]))) as Record<SchemaName, z.ZodType>;
/** The graph as scripts/bundle.mjs bakes it into the bundle: packed into text, made into nodes with rules.ts. */
const baked = bakedNodes(JSON.parse(JSON.stringify(packParserGraph(bakeParserGraph(schemas as unknown as Record<string, SchemaNode>, rules)))), rules) as Record<SchemaName, SchemaNode>;

/** When the baked walk is sure, zod accepts the value and returns the same data, key order included. */
function agrees(name: SchemaName, value: unknown): boolean {
  const sure = parseSure(baked[name], value);
  if (!sure) return true;
  const zod = schemas[name].safeParse(value);
  expect(zod.success, `${name}: the walk accepted what zod rejects: ${JSON.stringify(value)}`).toBe(true);
  expect(isDeepStrictEqual(sure.data, zod.data)).toBe(true);
  expect(JSON.stringify(sure.data)).toBe(JSON.stringify(zod.data));
  return true;
}

const root = resolve(import.meta.dirname, "../..");
function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "node_modules" ? [] : filesNamed(path, name);
    return entry === name ? [path] : [];
  });
}
/** A file's JSON; undefined for the fixtures that are broken on purpose. */
function json(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const text = fc.oneof(fc.constantFrom("", "x", "./a", "../b", "a b", "1.0.0", "^1.2.0", "a@m", "p@^1", "https://x.y/z.mcpb", "user", "string", "number"), fc.string({ maxLength: 6 }));
const scalar = fc.oneof(text, fc.boolean(), fc.integer({ min: -2, max: 5 }), fc.constant(null), fc.constant(undefined));
function objectOf(keys: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.constantFrom("__proto__", "zz"), fc.string({ maxLength: 3 })), value, { maxKeys: 5, noNullPrototype: true });
}
const option = objectOf(["type", "title", "description", "required", "default", "multiple", "sensitive", "min", "max"], scalar);
const validOption = fc.record(
  { type: fc.constantFrom("string", "number", "boolean"), title: fc.constantFrom("T"), description: fc.constantFrom("D"), min: fc.integer({ min: 0, max: 3 }), max: fc.integer({ min: 0, max: 3 }), sensitive: fc.boolean() },
  { noNullPrototype: true, requiredKeys: ["type", "title", "description"] },
);
const record = objectOf(["scope", "installPath", "version", "installedAt", "gitCommitSha", "auto", "integrity", "projectPath", "directSource"], fc.oneof(scalar, objectOf(["source", "path", "repo", "url"], text)));
const source = fc.oneof(objectOf(["source", "repo", "url", "path", "package", "ref"], fc.oneof(text, fc.constantFrom("github", "git", "url", "directory", "npm", "o/r"))), scalar);
const cases: [SchemaName, fc.Arbitrary<unknown>][] = [
  ["settings", objectOf(["enabledPlugins", "extraKnownMarketplaces", "pluginConfigs", "sandbox", "secretStore"], fc.oneof(scalar, objectOf(["a@m", "b@m"], fc.oneof(fc.boolean(), fc.array(text, { maxLength: 2 }), objectOf(["source"], source)))))],
  ["managedSettings", objectOf(["enabledPlugins", "strictKnownMarketplaces", "blockedMarketplaces", "disableSideloadFlags"], fc.oneof(scalar, fc.array(objectOf(["source", "repo", "hostPattern"], text), { maxLength: 2 })))],
  ["installedPlugins", fc.record({ version: fc.constantFrom(1, 2, 3), plugins: objectOf(["a@m", "bad"], fc.oneof(record, fc.array(record, { maxLength: 2 }))) }, { noNullPrototype: true })],
  ["knownMarketplaces", objectOf(["m", "n"], objectOf(["source", "installLocation", "lastUpdated", "autoUpdate", "scope"], fc.oneof(source, scalar)))],
  ["lockfile", fc.record({ lockfileVersion: fc.constantFrom(1, 2), plugins: objectOf(["a@m"], objectOf(["version", "resolved", "integrity", "dependencies", "auto"], fc.oneof(scalar, fc.constantFrom("sha512-AA=="), fc.array(text, { maxLength: 2 })))) }, { noNullPrototype: true })],
  ["marketplaceEntry", objectOf(["name", "source", "version", "description", "dependencies", "userConfig", "strict", "relevance"], fc.oneof(scalar, source, fc.array(text, { maxLength: 2 }), objectOf(["key", "k2"], fc.oneof(option, validOption))))],
  ["pluginManifestFields", objectOf(["name", "version", "dependencies", "userConfig", "skills", "commands", "monitors", "lspServers"], fc.oneof(scalar, fc.array(fc.oneof(text, objectOf(["name", "version", "command", "description"], text)), { maxLength: 3 }), objectOf(["key", ".go"], fc.oneof(option, validOption, scalar))))],
];

describe("the parse graph baked into the bundle (schemas/bake-parsers.ts)", () => {
  it("is sure of every plugin.json and marketplace.json of the project's fixtures that zod accepts: installing them loads no zod", () => {
    const manifests = filesNamed(join(root, "fixtures"), "plugin.json").filter((f) => schemas.pluginManifestFields.safeParse(json(f)).success);
    expect(manifests.length).toBeGreaterThan(20);
    expect(manifests.filter((f) => !parseSure(baked.pluginManifestFields, json(f))).map((f) => relative(root, f))).toEqual([]);
    const markets = filesNamed(join(root, "fixtures"), "marketplace.json").filter((f) => schemas.marketplaceShell.safeParse(json(f)).success);
    expect(markets.length).toBeGreaterThan(10);
    const unsure = markets.flatMap((f) => {
      const market = json(f) as { plugins: unknown[] };
      if (!parseSure(baked.marketplaceShell, market)) return [relative(root, f)];
      return market.plugins.filter((e) => schemas.marketplaceEntry.safeParse(e).success && !parseSure(baked.marketplaceEntry, e)).map((e) => `${relative(root, f)}: ${JSON.stringify(e)}`);
    });
    expect(unsure).toEqual([]);
    for (const f of [...manifests, ...markets]) agrees(f.endsWith("plugin.json") ? "pluginManifestFields" : "marketplaceShell", json(f));
  });

  it("gives zod's data, or no verdict, on random values of each file it reads", () => {
    for (const [name, arbitrary] of cases) fc.assert(fc.property(fc.oneof(arbitrary, fc.anything()), (value) => agrees(name, value)), { numRuns: 1500 });
  });

  it("names every refinement of the installer's files by its function in rules.ts", () => {
    const seen = new Set<SchemaNode>();
    const unnamed: string[] = [];
    const visit = (node: SchemaNode, path: string): void => {
      if (seen.has(node)) return;
      seen.add(node);
      const def = node._zod.def;
      for (const check of def.checks ?? []) if (check._zod.def.check === "custom" && typeof check._zod.def.fn !== "function") unnamed.push(path);
      for (const [key, child] of Object.entries(def.shape ?? {})) visit(child, `${path}.${key}`);
      for (const [i, child] of (def.options ?? []).entries()) visit(child, `${path}|${i}`);
      for (const key of ["innerType", "element", "catchall", "keyType", "valueType"] as const) if (def[key]) visit(def[key]!, `${path}>${key}`);
    };
    // the whole manifest's rule across fields (channels) is zod's alone: a manifest with channels loads zod
    for (const name of Object.keys(baked) as SchemaName[]) if (name !== "pluginManifest") visit(baked[name], name);
    expect(unnamed).toEqual([]);
  });

  it("hands a value it is not sure of to zod, with zod's issues", async () => {
    const bad = await parseAs("pluginManifestFields", { name: "p", userConfig: { size: { type: "string", title: "S", description: "d", min: 5, max: 2 } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["userConfig.size.min", "min (5) is greater than max (2)"],
      ["userConfig.size.min", "min/max only apply to number options"],
    ]);
    const good = await parseAs("installedPlugins", { version: 1, plugins: { "a@m": { installPath: "/x", version: "1.0.0" } } });
    expect(good.success && good.data).toEqual({ version: 2, plugins: { "a@m": [{ scope: "user", installPath: "/x", version: "1.0.0" }] } });
  });
});
