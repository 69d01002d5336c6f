import type { z } from "zod";
import { parseSure, safeParseFast } from "./fast-parse.js";
import type { CatalogEntry, LenientMarketplace } from "./marketplace.js";
import { bakedGraph } from "./parser-graph.js";
import { loadRangeRules } from "./rules.js";
import type { PluginManifest } from "./plugin-manifest.js";

/**
 * The schemas behind the files every install, list or enable reads — settings, state files, lockfiles,
 * marketplace.json and plugin.json — by name, each loaded with its module (and zod) only when called.
 * The bundle holds their parse graph (schemas/parser-graph.ts), so a file that parses is checked without
 * loading zod: only a value the walk is not sure of, such as an invalid one, loads the schema for zod's
 * verdict and its issues.
 */
export const schemaLoaders = {
  settings: async () => (await import("./settings.js")).settingsSchema,
  managedSettings: async () => (await import("./settings.js")).managedSettingsSchema,
  installedPlugins: async () => (await import("./installed-plugins.js")).installedPluginsSchema,
  knownMarketplaces: async () => (await import("./known-marketplaces.js")).knownMarketplacesSchema,
  lockfile: async () => (await import("./lockfile.js")).lockfileSchema,
  marketplaceShell: async () => (await import("./marketplace.js")).marketplaceShellSchema,
  marketplaceEntry: async () => (await import("./marketplace.js")).marketplaceEntrySchema,
  pluginManifestFields: async () => (await import("./plugin-manifest.js")).pluginManifestFieldsSchema,
  pluginManifest: async () => (await import("./plugin-manifest.js")).pluginManifestSchema,
};
export type SchemaName = keyof typeof schemaLoaders;
export type ParsedAs<N extends SchemaName> = z.output<Awaited<ReturnType<(typeof schemaLoaders)[N]>>>;

/** The schema's safeParse: the same data, or zod's issues. */
export async function parseAs<N extends SchemaName>(name: N, value: unknown): Promise<z.ZodSafeParseResult<ParsedAs<N>>> {
  const node = bakedGraph?.[name];
  // a value that names a version range needs semver for its rules, loaded the first time one does
  const sure = node && (parseSure(node, value) ?? ((await loadRangeRules()) ? parseSure(node, value) : undefined));
  if (sure) return { success: true, data: sure.data as ParsedAs<N> };
  return safeParseFast(await schemaLoaders[name](), value) as z.ZodSafeParseResult<ParsedAs<N>>;
}

/**
 * Which schema decides a plugin.json: the whole manifest's when it has `channels` (a rule across its
 * fields checks them), else its fields alone, which the walk can be sure of.
 */
export function manifestSchemaFor(raw: unknown): "pluginManifest" | "pluginManifestFields" {
  return typeof raw === "object" && raw !== null && Object.hasOwn(raw, "channels") ? "pluginManifest" : "pluginManifestFields";
}

/** pluginManifestSchema.safeParse, without loading zod for a manifest that parses. */
export function parsePluginManifestAsync(raw: unknown): Promise<z.ZodSafeParseResult<PluginManifest>> {
  return parseAs(manifestSchemaFor(raw), raw);
}

/**
 * marketplace.json as read for installing: entries are parsed one by one; an unparseable entry that has a
 * name becomes an "unsupported" stub and one without a name is dropped (reference §3.1), so one bad entry
 * never hides the rest of the catalog.
 */
export async function parseLenientMarketplace(raw: unknown): Promise<z.ZodSafeParseResult<LenientMarketplace>> {
  const shell = await parseAs("marketplaceShell", raw);
  if (!shell.success) return shell as z.ZodSafeParseError<LenientMarketplace>;
  const entries = await Promise.all(shell.data.plugins.map((entry) => parseAs("marketplaceEntry", entry)));
  const plugins = entries.flatMap((parsed, i): CatalogEntry[] => {
    if (parsed.success) return [parsed.data];
    const name = (shell.data.plugins[i] as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.length === 0) return [];
    return [{ name, source: { source: "unsupported", reason: parsed.error.issues[0]?.message }, strict: true }];
  });
  return { success: true, data: { ...shell.data, plugins } };
}
