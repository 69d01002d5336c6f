import type { InstalledPlugins } from "../../schemas/installed-plugins.js";
import { parsePluginId } from "../../schemas/names.js";
import type { Catalog, CatalogPlugin } from "../catalog/catalog-types.js";
import { directCollision, directPlugin } from "./direct-plugins.js";
import { sameDirectSource } from "./direct-source.js";

/**
 * The catalog plus the plugins installed directly (rebuilt from their records' `directSource`) and those
 * being installed directly now, so `update`, a reinstall at another scope, `--frozen` and dependency
 * resolution find `name@local|github|git` like any other id.
 *
 * One id comes from one place: installing `fmt@github` from acme/a while it is installed from acme/b (or
 * from a real marketplace of that name) is E_ALREADY_EXISTS naming both, so one never silently replaces
 * the other. Direct plugins answer only to their full id; an unqualified name still searches the
 * marketplaces alone.
 */
export function withDirectPlugins(catalog: Catalog, installed: InstalledPlugins, requested: CatalogPlugin[]): Catalog {
  const direct = new Map<string, CatalogPlugin>();
  for (const [id, records] of Object.entries(installed.plugins)) {
    const source = records.find((r) => r.directSource)?.directSource;
    if (source) direct.set(id, directPlugin(parsePluginId(id)!.name, source));
  }
  for (const plugin of requested) {
    const records = installed.plugins[plugin.id] ?? [];
    const conflicting = records.find((r) => !r.directSource || !sameDirectSource(r.directSource, plugin.marketplace.direct!));
    if (conflicting) throw directCollision(plugin.id, conflicting.directSource, plugin.marketplace.direct!);
    direct.set(plugin.id, plugin);
  }
  if (direct.size === 0) return catalog;
  const marketplaces = new Map(catalog.marketplaces);
  for (const plugin of direct.values()) {
    const market = plugin.marketplace;
    const listed = marketplaces.get(market.name);
    // one catalog-level marketplace per direct kind lists its plugins, for lookups by marketplace name
    if (!listed) marketplaces.set(market.name, { ...market, manifest: { ...market.manifest, plugins: [plugin.entry] }, pluginRoot: undefined });
    else if (listed.direct) listed.manifest.plugins.push(plugin.entry);
  }
  return {
    marketplaces,
    broken: catalog.broken,
    plugin: (id) => direct.get(id) ?? catalog.plugin(id),
    byName: (name) => catalog.byName(name),
    all: () => [...catalog.all().filter((p) => !direct.has(p.id)), ...direct.values()],
  };
}
