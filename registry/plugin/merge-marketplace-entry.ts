import { asArray } from "../../schemas/component-path.js";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import { pluginComponentsShape, type PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Finding } from "../../schemas/validation-report.js";

export const componentKeys = Object.keys(pluginComponentsShape) as (keyof typeof pluginComponentsShape)[];
const entryOnlyKeys = new Set(["source", "category", "tags", "strict", "relevance"]);

export interface MergedPlugin {
  /** the effective manifest the plugin loads with */
  manifest: PluginManifest;
  /** where each component key came from */
  origin: Partial<Record<keyof PluginManifest, "plugin.json" | "entry" | "both">>;
  problems: Finding[];
}

/**
 * Combines plugin.json with its marketplace entry (reference §3.3, §3.4):
 * - strict (default): plugin.json is authoritative; entry component fields supplement it (path lists are
 *   concatenated, hooks/MCP/LSP references merged); metadata comes from plugin.json, except
 *   `defaultEnabled`, where the entry wins.
 * - strict: false: the entry is the whole definition. A plugin.json that also declares components is a
 *   conflict (Claude Code refuses to load the plugin).
 * The plugin's `version` always comes from plugin.json when it has one.
 */
export function mergeMarketplaceEntry(manifest: PluginManifest | undefined, entry: MarketplaceEntry, options: { prefix?: string } = {}): MergedPlugin {
  const prefix = options.prefix ?? "";
  const problems: Finding[] = [];
  const origin: MergedPlugin["origin"] = {};
  const fromEntry: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (!entryOnlyKeys.has(key) && value !== undefined) fromEntry[key] = value;

  if (entry.strict === false) {
    const declared = manifest ? componentKeys.filter((k) => manifest[k] !== undefined) : [];
    if (declared.length > 0)
      problems.push({
        severity: "error",
        code: "strict-conflict",
        path: `${prefix}strict`,
        message: `Plugin ${entry.name} has conflicting manifests: "strict": false makes the marketplace entry the whole definition, but plugin.json also declares ${declared.join(", ")}. Claude Code refuses to load it.`,
        hint: 'Set "strict": true in the marketplace entry, or remove the component fields from one of the two places.',
      });
    for (const key of componentKeys) if (fromEntry[key] !== undefined) origin[key] = "entry";
    const merged = { ...fromEntry, name: manifest?.name ?? entry.name } as PluginManifest;
    if (manifest?.version !== undefined) merged.version = manifest.version;
    return { manifest: merged, origin, problems };
  }

  const merged: Record<string, unknown> = { ...fromEntry, ...(manifest ?? {}), name: manifest?.name ?? entry.name };
  if (entry.defaultEnabled !== undefined) merged.defaultEnabled = entry.defaultEnabled;
  if (manifest && entry.dependencies) merged.dependencies = [...(manifest.dependencies ?? []), ...entry.dependencies];
  for (const key of componentKeys) {
    const a = manifest?.[key];
    const b = entry[key];
    if (a === undefined && b === undefined) continue;
    origin[key] = a === undefined ? "entry" : b === undefined ? "plugin.json" : "both";
    if (a !== undefined && b !== undefined) merged[key] = combine(key, a, b);
  }
  return { manifest: merged as PluginManifest, origin, problems };
}

function combine(key: string, a: unknown, b: unknown): unknown {
  const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  switch (key) {
    case "hooks":
    case "mcpServers":
    case "lspServers":
      return [...asArray(a), ...asArray(b)];
    case "experimental":
      return isMap(a) && isMap(b) ? { ...(b as object), ...(a as object) } : a;
    case "commands":
      if (isMap(a) && isMap(b)) return { ...(b as object), ...(a as object) };
      return isMap(a) || isMap(b) ? a : [...asArray(a), ...asArray(b)];
    case "monitors":
      return a;
    default:
      return [...asArray(a), ...asArray(b)];
  }
}
