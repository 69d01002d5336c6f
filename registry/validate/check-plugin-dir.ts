import { basename, join } from "node:path";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import { pluginManifestKeys, pluginManifestSchema, type PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Finding } from "../../schemas/validation-report.js";
import { mergeMarketplaceEntry } from "../plugin/merge-marketplace-entry.js";
import { pluginInventory } from "../plugin/plugin-inventory.js";
import { manifestCandidates, parsePluginManifestFile, readPluginManifest, type ManifestRead } from "../plugin/read-plugin-manifest.js";
import { kindOf, listDir } from "../plugin/scan-context.js";
import { manifestFieldFindings } from "./manifest-field-findings.js";
import { unknownFieldFindings } from "./unknown-fields.js";

export interface ListedBy {
  entry: MarketplaceEntry;
  index: number;
  sourceIsMarketplaceRoot: boolean;
}

export interface PluginDirCheck {
  findings: Finding[];
  manifestRead: ManifestRead;
  /** the effective manifest (merged with the entry when listed), when one could be formed */
  manifest?: PluginManifest;
}

/** Names that are components when at the plugin root, and dead weight inside .claude-plugin/. */
const componentNames = ["commands", "agents", "skills", "hooks", "output-styles", "monitors", "themes", "bin", ".mcp.json", ".lsp.json", "SKILL.md", "settings.json"];

/**
 * Every check on a plugin directory: its plugin.json (schema, field rules, unknown fields), its merge
 * with the marketplace entry that lists it, and its components on disk (paths, frontmatter, hooks,
 * MCP/LSP files), plus components misplaced in .claude-plugin/ and shadowed default folders.
 * `realRoot` is the root's real path when the caller already resolved it.
 */
export function checkPluginDir(root: string, listedBy?: ListedBy, manifestFile?: string, realRoot?: string): PluginDirCheck {
  const manifestPrefix = listedBy ? `plugins[${listedBy.index}] plugin.json → ` : "";
  const componentPrefix = listedBy ? `plugins[${listedBy.index}] → ` : "";
  const findings: Finding[] = [];
  const read = manifestFile ? parsePluginManifestFile(manifestFile, { prefix: manifestPrefix }) : readPluginManifest(root, { prefix: manifestPrefix });
  if (read.status !== "absent" && read.file !== join(root, manifestCandidates[0]))
    findings.push({
      severity: "warning",
      code: "manifest-location",
      path: `${manifestPrefix}(file)`,
      message: `The manifest is read from ${read.file}; Claude Code only validates .claude-plugin/plugin.json (a root plugin.json is a fallback it uses when caching).`,
      hint: `Move it to ${join(root, manifestCandidates[0])}.`,
    });
  let manifest: PluginManifest | undefined;
  if (read.status === "invalid") findings.push(...read.problems);
  const raw = read.status === "absent" ? undefined : read.raw;
  if (read.status !== "absent" && isObject(raw)) {
    const entry = listedBy?.entry;
    findings.push(...unknownFieldFindings(raw, pluginManifestKeys, manifestPrefix, read.file));
    findings.push(
      ...manifestFieldFindings(raw, {
        prefix: manifestPrefix,
        file: read.file,
        kind: "plugin.json",
        suppliedByEntry: { version: entry?.version !== undefined, description: entry?.description !== undefined, author: entry?.author !== undefined },
      }),
    );
    manifest = read.status === "ok" ? read.manifest : salvage(raw, basename(root));
  }

  if (listedBy) {
    const { entry, index } = listedBy;
    const merged = mergeMarketplaceEntry(manifest, entry, { prefix: `plugins[${index}].` });
    findings.push(...merged.problems);
    if (entry.version !== undefined && manifest?.version !== undefined && entry.version !== manifest.version)
      findings.push({
        severity: "warning",
        code: "version-mismatch",
        path: `plugins[${index}].version`,
        message: `Entry declares version "${entry.version}" but ${read.status !== "absent" ? read.file : "plugin.json"} says "${manifest.version}". At install time, plugin.json wins — the entry version is silently ignored.`,
      });
    manifest = merged.manifest;
  }

  const inventory = pluginInventory(root, manifest, {
    prefix: componentPrefix,
    fallbackName: listedBy?.entry.name ?? basename(root),
    sourceIsMarketplaceRoot: listedBy?.sourceIsMarketplaceRoot ?? false,
    ...(realRoot !== undefined ? { realRoot } : {}),
  });
  findings.push(...inventory.problems);
  for (const note of inventory.notes)
    findings.push({ severity: "warning", code: "default-folder-ignored", path: `${componentPrefix}${/"([^"]+)"/.exec(note)?.[1] ?? "(root)"}`, message: `${note}.`, hint: "Move its files to a path the manifest lists, or remove the folder." });

  const manifestDir = join(root, ".claude-plugin");
  for (const name of listDir(manifestDir))
    if (componentNames.includes(name) && kindOf(join(manifestDir, name)))
      findings.push({
        severity: "warning",
        code: "component-in-manifest-dir",
        path: `${componentPrefix}.claude-plugin/${name}`,
        message: `.claude-plugin/${name} is never loaded: components belong at the plugin root, not inside .claude-plugin/.`,
        hint: `Move it to ${join(root, name)}.`,
      });
  return { findings, manifestRead: read, ...(manifest ? { manifest } : {}) };
}

/** A manifest that failed to parse, minus the fields that failed: enough to still check the components. */
function salvage(raw: Record<string, unknown>, fallbackName: string): PluginManifest | undefined {
  const shape = pluginManifestSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue;
    if (shape[key]!.safeParse(value).success) kept[key] = value;
  }
  if (typeof kept.name !== "string") kept.name = fallbackName;
  const parsed = pluginManifestSchema.safeParse(kept);
  return parsed.success ? parsed.data : { name: fallbackName };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
