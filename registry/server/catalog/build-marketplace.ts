import type { PluginFacts } from "../publish/inspect-tarball.js";
import type { Storage, VersionManifest } from "../storage/storage.js";

export interface CatalogPlugin {
  package: string;
  version: string;
  plugin: PluginFacts;
  integrity: string;
  tarball: string;
}

/** The latest version of every published plugin package, as recorded at publish time. */
export async function listCatalogPlugins(storage: Storage): Promise<CatalogPlugin[]> {
  const plugins: CatalogPlugin[] = [];
  for (const summary of await storage.listPackages()) {
    const stored = await storage.getPackument(summary.name);
    const manifest: VersionManifest | undefined = stored?.packument.versions[summary.version];
    const plugin = manifest?._plugin as PluginFacts | undefined;
    if (!manifest || !plugin) continue;
    plugins.push({ package: summary.name, version: summary.version, plugin, integrity: manifest.dist.integrity, tarball: manifest.dist.tarball });
  }
  return plugins;
}

export type PluginSourceFor = (plugin: CatalogPlugin) => Record<string, unknown>;

/**
 * A Claude Code marketplace.json over the catalog. Entry names are the plugins' own names; when two
 * packages carry the same plugin name the later ones are listed under their package name.
 */
export function buildMarketplace(name: string, plugins: CatalogPlugin[], sourceFor: PluginSourceFor): Record<string, unknown> {
  const taken = new Set<string>();
  const entries = plugins.map((p) => {
    const entryName = taken.has(p.plugin.name) ? p.package.replace(/^@/, "").replace("/", "-") : p.plugin.name;
    taken.add(entryName);
    const { name: _n, version: _v, ...facts } = p.plugin;
    return { name: entryName, source: sourceFor(p), version: p.version, ...facts };
  });
  return { name, owner: { name }, description: `Plugins published to the ${name} registry`, plugins: entries };
}

/** Entries that install from this registry with `npm` sources. */
export function npmSourceFor(registryUrl: string): PluginSourceFor {
  return (p) => ({ source: "npm", package: p.package, version: p.version, registry: `${registryUrl}/` });
}
