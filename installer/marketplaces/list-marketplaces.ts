import type { KnownMarketplace } from "../../schemas/known-marketplaces.js";
import type { StateContext } from "../state-context.js";
import { loadKnownMarketplaces, loadManagedSettings } from "../state/state-files.js";
import { declaredMarketplaces } from "./declared-marketplaces.js";

/** One line of `marketplace list --json`: Claude Code's shape (reference §12) plus agent's extras. */
export interface MarketplaceListing {
  name: string;
  source: string;
  path?: string;
  url?: string;
  repo?: string;
  package?: string;
  ref?: string;
  /** absent while it is only declared in settings and not fetched yet */
  installLocation?: string;
  lastUpdated?: string;
  commit?: string;
  /** declared in settings (extraKnownMarketplaces) but not fetched yet: `marketplace update` fetches it */
  declaredOnly?: true;
}

/**
 * Lists known marketplaces from known_marketplaces.json, then those only declared in settings: local
 * files only, no network, works offline.
 */
export async function listMarketplaces(state: StateContext): Promise<MarketplaceListing[]> {
  const known = await loadKnownMarketplaces(state.paths);
  const declared = await declaredMarketplaces(state, await loadManagedSettings(state.paths));
  const pending = [...declared].filter(([name]) => !known[name]).map(([name, d]) => ({ ...listing(name, { source: d.source }), declaredOnly: true as const }));
  return [...Object.entries(known).map(([name, record]) => listing(name, record)), ...pending];
}

function listing(name: string, record: Pick<KnownMarketplace, "source"> & Partial<KnownMarketplace>): MarketplaceListing {
  const s = record.source;
  const where =
    s.source === "github" ? { repo: s.repo } :
    s.source === "git" || s.source === "url" ? { url: s.url } :
    s.source === "npm" ? { package: s.package } :
    s.source === "settings" ? {} : { path: s.path };
  const ref = s.source === "github" || s.source === "git" ? s.ref : undefined;
  return {
    name,
    source: s.source,
    ...where,
    ...(ref ? { ref } : {}),
    ...(record.installLocation ? { installLocation: record.installLocation } : {}),
    ...(record.lastUpdated ? { lastUpdated: record.lastUpdated } : {}),
    ...(record.commit ? { commit: record.commit } : {}),
  };
}
