import type { KnownMarketplaces } from "../../schemas/known-marketplaces.js";
import { formatPluginId } from "../../schemas/names.js";
import { builtinMarketplaceDir, builtinMarketplaceName, builtinMarketplaceSource } from "./builtin-marketplace.js";
import type { Catalog, CatalogMarketplace, CatalogPlugin } from "./catalog-types.js";
import { readMarketplaceAt } from "./read-marketplace.js";

/**
 * The catalog over every known marketplace plus the built-in one. Marketplaces are read lazily, in
 * parallel; one that fails to read is listed in `broken` and the rest stay usable.
 */
export async function loadCatalog(known: KnownMarketplaces, packageRoot: string): Promise<Catalog> {
  const marketplaces = new Map<string, CatalogMarketplace>();
  const broken = new Map<string, string>();
  const sources = Object.entries(known).map(([name, record]) => ({ name, source: record.source, location: record.installLocation, commit: record.commit, builtin: false }));
  if (!known[builtinMarketplaceName]) {
    sources.push({ name: builtinMarketplaceName, source: builtinMarketplaceSource(packageRoot), location: builtinMarketplaceDir(packageRoot), commit: undefined, builtin: true });
  }
  await Promise.all(
    sources.map(async ({ name, source, location, commit, builtin }) => {
      try {
        const { manifest, pluginRoot } = await readMarketplaceAt(location);
        marketplaces.set(name, { name, source, manifest, pluginRoot, builtin, ...(commit ? { commit } : {}) });
      } catch (error) {
        broken.set(name, (error as Error).message);
      }
    }),
  );
  return catalogFrom(marketplaces, broken);
}

/** A catalog over marketplaces already read (an offline bundle overlays its own on the known ones). */
export function catalogFrom(marketplaces: Map<string, CatalogMarketplace>, broken: Map<string, string>): Catalog {
  const plugins = new Map<string, CatalogPlugin>();
  for (const name of [...marketplaces.keys()].sort()) {
    const marketplace = marketplaces.get(name)!;
    for (const entry of marketplace.manifest.plugins) {
      const id = formatPluginId(entry.name, name);
      if (!plugins.has(id)) plugins.set(id, { id, name: entry.name, marketplace, entry });
    }
  }
  return {
    marketplaces,
    broken,
    plugin: (id) => plugins.get(id),
    byName: (name) => [...plugins.values()].filter((p) => p.name === name),
    all: () => [...plugins.values()],
  };
}
