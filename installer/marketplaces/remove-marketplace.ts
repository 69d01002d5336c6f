import { rm } from "../../registry/files/async-fs.js";
import { resolve, sep } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { parsePluginId } from "../../schemas/names.js";
import type { StateContext } from "../state-context.js";
import { visibleScopes } from "../state-context.js";
import { loadInstalledPlugins, loadKnownMarketplaces, loadSettings, saveKnownMarketplaces, saveSettings } from "../state/state-files.js";
import { withStateLock } from "../state/state-lock.js";

export interface RemoveMarketplaceResult {
  name: string;
  /** settings files whose extraKnownMarketplaces no longer declare it */
  settingsFiles: string[];
  /** plugins still installed from it (only with --force) */
  orphanedPlugins: string[];
  removedLocation?: string;
}

/**
 * Removes a marketplace from known_marketplaces.json and from every editable scope's
 * extraKnownMarketplaces, and deletes its materialized copy (never a user's own directory or file).
 * Refuses while installed plugins come from it, listing them, unless `force`.
 */
export async function removeMarketplace(state: StateContext, name: string, force: boolean): Promise<RemoveMarketplaceResult> {
  const { paths } = state;
  return withStateLock(paths.lockFile, async () => {
    const known = await loadKnownMarketplaces(paths);
    const record = known[name];
    if (!record) {
      throw new AgentError("E_NOT_FOUND", `Marketplace '${name}' not found`, { hint: "Run `agent plugin marketplace list` to see the added marketplaces.", details: { name } });
    }
    const installed = await loadInstalledPlugins(paths);
    const fromIt = Object.keys(installed.plugins).filter((id) => parsePluginId(id)?.marketplace === name).sort();
    if (fromIt.length && !force) {
      throw new AgentError("E_IN_USE", `Marketplace '${name}' still has installed plugins: ${fromIt.join(", ")}`, {
        hint: `Uninstall them first (agent plugin uninstall ${fromIt.join(" ")}), or remove with --force to keep them installed without their marketplace.`,
        details: { name, plugins: fromIt },
      });
    }
    const settingsFiles: string[] = [];
    for (const target of visibleScopes(state)) {
      const settings = await loadSettings(target.settingsFile);
      if (!settings.extraKnownMarketplaces?.[name]) continue;
      const { [name]: _dropped, ...rest } = settings.extraKnownMarketplaces;
      settings.extraKnownMarketplaces = rest;
      await saveSettings(target.settingsFile, settings);
      settingsFiles.push(target.settingsFile);
    }
    const { [name]: _gone, ...remaining } = known;
    await saveKnownMarketplaces(paths, remaining);
    const location = resolve(record.installLocation);
    const owned = location.startsWith(resolve(paths.marketplacesDir) + sep);
    if (owned) await rm(location, { recursive: true, force: true });
    return { name, settingsFiles, orphanedPlugins: fromIt, ...(owned ? { removedLocation: location } : {}) };
  });
}
