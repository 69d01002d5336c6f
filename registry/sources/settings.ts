import { mkdir, writeFile } from "../files/async-fs.js";
import { join } from "node:path";
import type { z } from "zod";
import type { settingsMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import type { MarketplaceSourceHandler } from "./source.js";

type SettingsSource = z.infer<typeof settingsMarketplaceSourceSchema>;

/**
 * A marketplace declared inline in settings (extraKnownMarketplaces, `source: "settings"`):
 * materialized as a synthetic .claude-plugin/marketplace.json whose owner is "settings".
 */
export const settingsMarketplace: MarketplaceSourceHandler<SettingsSource> = {
  kind: "settings",
  async fetch(source, dest) {
    const manifestPath = join(dest, ".claude-plugin", "marketplace.json");
    await mkdir(join(dest, ".claude-plugin"), { recursive: true });
    const manifest = { name: source.name, owner: { ...source.owner, name: "settings" }, plugins: source.plugins };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
    return { installLocation: dest, manifestPath, pluginRoot: undefined };
  },
};
