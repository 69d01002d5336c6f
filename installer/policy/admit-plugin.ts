import { AgentError } from "../../schemas/errors.js";
import type { ManagedSettings } from "../../schemas/settings.js";
import type { CatalogPlugin } from "../catalog/catalog-types.js";
import { marketplaceBlockReason } from "./marketplace-policy.js";

/**
 * Every policy check for one plugin, run before anything of it is downloaded: its marketplace must not be
 * blocked (blockedMarketplaces / strictKnownMarketplaces) and managed enabledPlugins must not say false —
 * which also blocks every plugin that depends on it.
 */
export function admitPlugin(policy: ManagedSettings, plugin: CatalogPlugin, requiredBy: string | undefined): void {
  const blocked = marketplaceBlockReason(plugin.marketplace.source, policy);
  if (blocked) {
    throw new AgentError("E_POLICY_BLOCKED", `Plugin "${plugin.name}" is from marketplace "${plugin.marketplace.name}", which is blocked by your organization's policy${requiredBy ? ` (required by ${requiredBy})` : ""}`, {
      hint: "Ask your administrator; the managed settings decide which marketplaces may be used.",
      details: { plugin: plugin.id, marketplace: plugin.marketplace.name, reason: blocked, ...(requiredBy ? { requiredBy } : {}) },
    });
  }
  if (policy.enabledPlugins?.[plugin.id] === false) {
    const message = requiredBy
      ? `Plugin "${requiredBy}" depends on "${plugin.id}", which is blocked by your organization's policy`
      : `Plugin "${plugin.name}" is blocked by your organization's policy and cannot be installed`;
    throw new AgentError("E_POLICY_BLOCKED", message, {
      hint: "Managed settings set enabledPlugins for it to false; ask your administrator.",
      details: { plugin: plugin.id, ...(requiredBy ? { requiredBy } : {}) },
    });
  }
}

/** The same checks for a plugin already installed (update, enable). */
export function managedBlocks(policy: ManagedSettings, id: string): boolean {
  return policy.enabledPlugins?.[id] === false;
}
