import type { z } from "zod";
import type { DirectSource } from "../../schemas/installed-plugins.js";
import type { CatalogEntry, LenientMarketplace } from "../../schemas/marketplace.js";
import type { directoryMarketplaceSourceSchema, MarketplaceSource } from "../../schemas/marketplace-source.js";

export type DirectoryMarketplaceSource = z.infer<typeof directoryMarketplaceSourceSchema>;

/** A marketplace as the installer sees it: where it came from, its parsed manifest, where relative sources resolve. */
export interface CatalogMarketplace {
  name: string;
  source: MarketplaceSource;
  manifest: LenientMarketplace;
  /** directory relative plugin sources resolve against; undefined for url/file-only marketplaces */
  pluginRoot: string | undefined;
  commit?: string;
  builtin: boolean;
  /** the one-plugin marketplace of a direct install: where that plugin came from */
  direct?: DirectSource;
}

export interface CatalogPlugin {
  id: string;
  name: string;
  marketplace: CatalogMarketplace;
  entry: CatalogEntry;
}

/** Every plugin of every known marketplace, plus marketplaces that could not be read. */
export interface Catalog {
  marketplaces: Map<string, CatalogMarketplace>;
  /** marketplaces that failed to load, with the reason (a broken marketplace never hides the others) */
  broken: Map<string, string>;
  plugin(id: string): CatalogPlugin | undefined;
  /** every plugin named `name`, over all marketplaces */
  byName(name: string): CatalogPlugin[];
  all(): CatalogPlugin[];
}
