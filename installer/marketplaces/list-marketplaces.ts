import type { KnownMarketplace } from "../../schemas/known-marketplaces.js";
import type { StateContext } from "../state-context.js";
import { loadKnownMarketplaces } from "../state/state-files.js";

/** One line of `marketplace list --json`: Claude Code's shape (reference §12) plus agent's extras. */
export interface MarketplaceListing {
  name: string;
  source: string;
  path?: string;
  url?: string;
  repo?: string;
  package?: string;
  ref?: string;
  installLocation: string;
  lastUpdated?: string;
  commit?: string;
}

/** Lists known marketplaces from known_marketplaces.json alone: no network, works offline. */
export async function listMarketplaces(state: StateContext): Promise<MarketplaceListing[]> {
  const known = await loadKnownMarketplaces(state.paths);
  return Object.entries(known).map(([name, record]) => listing(name, record));
}

function listing(name: string, record: KnownMarketplace): MarketplaceListing {
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
    installLocation: record.installLocation,
    ...(record.lastUpdated ? { lastUpdated: record.lastUpdated } : {}),
    ...(record.commit ? { commit: record.commit } : {}),
  };
}
