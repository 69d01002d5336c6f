import { buildMarketplace, listCatalogPlugins } from "../catalog/build-marketplace.js";
import type { Storage } from "../storage/storage.js";

const ttlMs = 5_000;

/**
 * The marketplace entry name of each package, exactly as /marketplace.json names it (two packages
 * with one plugin name do not both get it), so the install command on a plugin page works.
 * Recomputed at most every few seconds.
 */
export function entryNames(storage: Storage): (packageName: string) => Promise<string | undefined> {
  let cached: { at: number; names: Promise<Map<string, string>> } | undefined;
  return async (packageName) => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const names = compute(storage);
      cached = { at: Date.now(), names };
      names.catch(() => (cached = undefined));
    }
    return (await cached.names).get(packageName);
  };
}

async function compute(storage: Storage): Promise<Map<string, string>> {
  const marketplace = buildMarketplace("catalog", await listCatalogPlugins(storage), (p) => ({ package: p.package }));
  const entries = marketplace.plugins as { name: string; source: { package: string } }[];
  return new Map(entries.map((entry) => [entry.source.package, entry.name]));
}
