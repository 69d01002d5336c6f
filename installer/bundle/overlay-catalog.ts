import { AgentError } from "../../schemas/errors.js";
import type { Catalog, CatalogMarketplace } from "../catalog/catalog-types.js";
import { catalogFrom } from "../catalog/load-catalog.js";
import type { StagedForCache } from "../install/cache-plugin.js";

/** The catalog with `overlay` marketplaces standing in for known ones of the same name. */
export function overlayCatalog(catalog: Catalog, overlay: CatalogMarketplace[] | undefined): Catalog {
  if (!overlay?.length) return catalog;
  const marketplaces = new Map(catalog.marketplaces);
  const broken = new Map(catalog.broken);
  for (const market of overlay) {
    marketplaces.set(market.name, market);
    broken.delete(market.name);
  }
  return catalogFrom(marketplaces, broken);
}

/** Every staged plugin has the tree integrity the bundle recorded for it, or E_INTEGRITY. */
export function checkStagedIntegrity(staged: Map<string, StagedForCache>, expected: Record<string, string> | undefined): void {
  if (!expected) return;
  for (const [id, plugin] of staged) {
    const want = expected[id];
    if (want === undefined) {
      throw new AgentError("E_INTEGRITY", `The bundle has no recorded integrity for ${id}`, { hint: "Make the bundle again with `agent plugin bundle`.", details: { id } });
    }
    if (plugin.integrity !== want) {
      throw new AgentError("E_INTEGRITY", `${id} in the bundle does not match its recorded integrity; nothing was installed`, {
        hint: "The bundle was changed after it was made; get a fresh copy from whoever made it.",
        details: { id, expected: want, actual: plugin.integrity },
      });
    }
  }
}
