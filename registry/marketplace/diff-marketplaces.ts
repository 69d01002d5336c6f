import type { LenientMarketplace } from "../../schemas/marketplace.js";

export interface MarketplaceChanges {
  added: string[];
  removed: string[];
  /** plugins whose entry version changed (undefined = the entry declares none) */
  updated: { name: string; from: string | undefined; to: string | undefined }[];
}

/** What an update changed in a catalog: plugins added, removed, and entry version bumps. Pure. */
export function diffMarketplaces(before: LenientMarketplace | undefined, after: LenientMarketplace): MarketplaceChanges {
  const old = new Map((before?.plugins ?? []).map((p) => [p.name, p]));
  const now = new Map(after.plugins.map((p) => [p.name, p]));
  const version = (entry: unknown) => (entry as { version?: string } | undefined)?.version;
  return {
    added: [...now.keys()].filter((n) => !old.has(n)).sort(),
    removed: [...old.keys()].filter((n) => !now.has(n)).sort(),
    updated: [...now.keys()]
      .filter((n) => old.has(n) && version(old.get(n)) !== version(now.get(n)))
      .sort()
      .map((name) => ({ name, from: version(old.get(name)), to: version(now.get(name)) })),
  };
}

export function hasChanges(changes: MarketplaceChanges): boolean {
  return changes.added.length + changes.removed.length + changes.updated.length > 0;
}
