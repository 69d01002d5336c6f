import type { LenientMarketplace } from "../../schemas/marketplace.js";

/** What a catalog listed at one moment: plugin name → entry version (null when the entry declares none). */
export type CatalogVersions = Record<string, string | null>;

export interface MarketplaceChanges {
  added: string[];
  removed: string[];
  /** plugins whose entry version changed (undefined = the entry declares none) */
  updated: { name: string; from: string | undefined; to: string | undefined }[];
}

export function catalogVersions(manifest: LenientMarketplace): CatalogVersions {
  const version = (entry: unknown) => (entry as { version?: unknown }).version;
  return Object.fromEntries(manifest.plugins.map((p) => [p.name, typeof version(p) === "string" ? (version(p) as string) : null]));
}

/** The snapshot a known_marketplaces.json record keeps (`catalog`), when it is well formed. */
export function recordedCatalog(value: unknown): CatalogVersions | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return Object.values(value).every((v) => v === null || typeof v === "string") ? (value as CatalogVersions) : undefined;
}

/** What an update changed in a catalog: plugins added, removed, and entry version bumps. Pure. */
export function diffMarketplaces(before: CatalogVersions | undefined, after: CatalogVersions): MarketplaceChanges {
  const old = before ?? {};
  const has = (o: CatalogVersions, n: string) => Object.prototype.hasOwnProperty.call(o, n);
  const names = (o: CatalogVersions) => Object.keys(o).sort();
  return {
    added: names(after).filter((n) => !has(old, n)),
    removed: names(old).filter((n) => !has(after, n)),
    updated: names(after)
      .filter((n) => has(old, n) && old[n] !== after[n])
      .map((name) => ({ name, from: old[name] ?? undefined, to: after[name] ?? undefined })),
  };
}

export function hasChanges(changes: MarketplaceChanges): boolean {
  return changes.added.length + changes.removed.length + changes.updated.length > 0;
}
