import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { EditableScope, ManagedSettings } from "../../schemas/settings.js";
import type { StateContext } from "../state-context.js";
import { visibleScopes } from "../state-context.js";
import { loadSettings } from "../state/state-files.js";

export interface DeclaredMarketplace {
  source: MarketplaceSource;
  /** the settings that declare it; undefined for managed settings */
  scope: EditableScope | undefined;
}

/**
 * Marketplaces declared in `extraKnownMarketplaces` of the settings that apply here, the higher scope
 * winning (managed > local > project > user). These are what `marketplace update` materializes when
 * they are not in known_marketplaces.json yet (Claude Code does it at session start).
 */
export async function declaredMarketplaces(state: StateContext, managed: ManagedSettings): Promise<Map<string, DeclaredMarketplace>> {
  const declared = new Map<string, DeclaredMarketplace>();
  for (const target of visibleScopes(state)) {
    const settings = await loadSettings(target.settingsFile);
    for (const [name, entry] of Object.entries(settings.extraKnownMarketplaces ?? {})) declared.set(name, { source: entry.source, scope: target.scope });
  }
  for (const [name, entry] of Object.entries(managed.extraKnownMarketplaces ?? {})) declared.set(name, { source: entry.source, scope: undefined });
  return declared;
}
