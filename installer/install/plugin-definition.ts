import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeDependency, type NormalizedDependency } from "../../schemas/dependency.js";
import { AgentError } from "../../schemas/errors.js";
import { formatZodIssues } from "../../schemas/format-issues.js";
import type { CatalogEntry } from "../../schemas/marketplace.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import { parsePluginManifestAsync } from "../../schemas/parsers.js";
import type { Permissions } from "../../schemas/permissions.js";
import type { UserConfig } from "../../schemas/user-config.js";

/**
 * What the installer needs to know about a plugin, merged from its marketplace entry and its plugin.json
 * in one place: version (plugin.json wins), defaultEnabled (entry wins), dependencies (union of both —
 * one resolution path, unlike Claude Code), userConfig and permissions.
 */
export interface PluginDefinition {
  manifestName: string;
  manifestVersion: string | undefined;
  entryVersion: string | undefined;
  description: string | undefined;
  defaultEnabled: boolean;
  dependencies: NormalizedDependency[];
  userConfig: UserConfig;
  permissions: Permissions | undefined;
}

/** plugin.json of a plugin directory, or undefined when it has none. */
export async function readManifestIn(dir: string): Promise<PluginManifest | undefined> {
  const file = join(dir, ".claude-plugin", "plugin.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${file} is not valid JSON: ${(error as Error).message}`, { details: { file } });
  }
  const parsed = await parsePluginManifestAsync(raw);
  if (!parsed.success) {
    const issues = formatZodIssues(parsed.error.issues);
    throw new AgentError("E_INVALID_MANIFEST", `${file} is invalid: ${issues.join("; ")}`, {
      hint: `Run \`agent plugin validate ${dir}\` for details.`,
      details: { file, issues },
    });
  }
  return parsed.data;
}

export function definePlugin(entry: CatalogEntry, manifest: PluginManifest | undefined): PluginDefinition {
  const e = entry as Partial<PluginManifest>;
  const deps = [...(e.dependencies ?? []), ...(manifest?.dependencies ?? [])].map(normalizeDependency);
  const seen = new Set<string>();
  const dependencies = deps.filter((d) => {
    const key = `${d.name}@${d.marketplace ?? ""}@${d.range ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    manifestName: manifest?.name ?? entry.name,
    manifestVersion: manifest?.version,
    entryVersion: e.version,
    description: manifest?.description ?? e.description,
    defaultEnabled: (e.defaultEnabled ?? manifest?.defaultEnabled) !== false,
    dependencies,
    userConfig: { ...(e.userConfig ?? {}), ...(manifest?.userConfig ?? {}) },
    permissions: manifest?.permissions ?? e.permissions,
  };
}
