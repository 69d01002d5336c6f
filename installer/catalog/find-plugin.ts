import { AgentError } from "../../schemas/errors.js";
import { parsePluginId } from "../../schemas/names.js";
import type { Catalog, CatalogPlugin } from "./catalog-types.js";
import { didYouMean } from "./did-you-mean.js";

/**
 * What the user typed (`name` or `name@market`) → exactly one catalog plugin. An unqualified name found in
 * two marketplaces is E_AMBIGUOUS listing both (Claude Code silently picks one); an unknown one is
 * E_NOT_FOUND with the nearest names.
 */
export function findPlugin(catalog: Catalog, spec: string): CatalogPlugin {
  const qualified = spec.includes("@") ? parsePluginId(spec) : undefined;
  if (spec.includes("@") && !qualified) {
    throw new AgentError("E_USAGE", `"${spec}" is not a plugin ID: expected name or name@marketplace`, { details: { spec } });
  }
  if (qualified) {
    const found = catalog.plugin(spec);
    if (found) return found;
    const market = catalog.marketplaces.get(qualified.marketplace);
    if (!market) {
      const reason = catalog.broken.get(qualified.marketplace);
      throw new AgentError("E_NOT_FOUND", reason ? `Marketplace "${qualified.marketplace}" cannot be read: ${reason}` : `Marketplace "${qualified.marketplace}" is not known`, {
        hint: reason ? `Run \`agent plugin marketplace update ${qualified.marketplace}\`.` : suggestion(didYouMean(qualified.marketplace, catalog.marketplaces.keys()), "agent plugin marketplace list"),
        details: { spec, marketplace: qualified.marketplace, known: [...catalog.marketplaces.keys()] },
      });
    }
    const near = didYouMean(qualified.name, market.manifest.plugins.map((p) => p.name)).map((n) => `${n}@${market.name}`);
    throw new AgentError("E_NOT_FOUND", `Plugin "${qualified.name}" not found in marketplace "${market.name}"`, {
      hint: near.length ? `Did you mean ${near.join(", ")}?` : `Your local copy may be out of date — try \`agent plugin marketplace update ${market.name}\`.`,
      details: { spec, marketplace: market.name, suggestions: near },
    });
  }
  const matches = catalog.byName(spec);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const ids = matches.map((m) => m.id);
    throw new AgentError("E_AMBIGUOUS", `Plugin "${spec}" is in ${matches.length} marketplaces: ${ids.join(", ")}`, {
      hint: `Name the marketplace: agent plugin install ${ids[0]}`,
      details: { spec, candidates: ids },
    });
  }
  const near = didYouMean(spec, catalog.all().map((p) => p.name)).flatMap((n) => catalog.byName(n).map((p) => p.id));
  throw new AgentError("E_NOT_FOUND", `Plugin "${spec}" not found in any configured marketplace`, {
    hint: near.length ? `Did you mean ${near.join(", ")}?` : "Run `agent plugin list --available --json` to see what can be installed.",
    details: { spec, suggestions: near, searched: [...catalog.marketplaces.keys()] },
  });
}

function suggestion(near: string[], fallback: string): string {
  return near.length ? `Did you mean ${near.join(", ")}?` : `Run \`${fallback}\` to see the known marketplaces.`;
}
