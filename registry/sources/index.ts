import type { MarketplaceSource, MarketplaceSourceKind } from "../../schemas/marketplace-source.js";
import { AgentError } from "../../schemas/errors.js";
import type { PluginSource, RemotePluginSource, UnsupportedPluginSource } from "../../schemas/plugin-source.js";
import { archivePlugin } from "./archive.js";
import { commandPlugin } from "./command.js";
import { directoryMarketplace } from "./directory.js";
import { fileMarketplace } from "./file.js";
import { gitSubdirPlugin } from "./git-subdir.js";
import { gitMarketplace, gitPlugin } from "./git.js";
import { githubMarketplace, githubPlugin } from "./github.js";
import { npmMarketplace, npmPlugin } from "./npm.js";
import { checkPolicy } from "./policy.js";
import { fetchRelativePlugin } from "./relative.js";
import { settingsMarketplace } from "./settings.js";
import type { FetchContext, FetchedPlugin, MarketplaceSourceHandler, MaterializedMarketplace, PluginFetchOptions, PluginSourceHandler } from "./source.js";
import { urlMarketplace } from "./url.js";

/** One table per side: adding a source kind is one file and one line here. */
const marketplaceHandlers: { [K in MarketplaceSourceKind]: MarketplaceSourceHandler<Extract<MarketplaceSource, { source: K }>> } = {
  directory: directoryMarketplace,
  file: fileMarketplace,
  git: gitMarketplace,
  github: githubMarketplace,
  url: urlMarketplace,
  npm: npmMarketplace,
  settings: settingsMarketplace,
};

const pluginHandlers: { [K in RemotePluginSource["source"]]: PluginSourceHandler<Extract<RemotePluginSource, { source: K }>> } = {
  github: githubPlugin,
  url: gitPlugin,
  "git-subdir": gitSubdirPlugin,
  npm: npmPlugin,
  archive: archivePlugin,
  command: commandPlugin,
};

/** Applies managed policy (before any I/O), then materializes the marketplace at `dest`. */
export async function fetchMarketplace(source: MarketplaceSource, dest: string, ctx: FetchContext): Promise<MaterializedMarketplace> {
  checkPolicy(source, ctx.policy);
  const handler = marketplaceHandlers[source.source] as MarketplaceSourceHandler;
  return handler.fetch(source, dest, ctx);
}

/**
 * Fetches a plugin's contents into `dest` (a path that does not exist yet). The marketplace it is
 * listed in is checked against managed policy first, before any I/O.
 */
export async function fetchPlugin(source: PluginSource | UnsupportedPluginSource, dest: string, ctx: FetchContext, options: PluginFetchOptions = {}): Promise<FetchedPlugin> {
  if (options.marketplaceSource) checkPolicy(options.marketplaceSource, ctx.policy);
  if (typeof source === "string") return fetchRelativePlugin(source, options.marketplaceRoot, dest, ctx);
  if (source.source === "unsupported") {
    throw new AgentError("E_UNSUPPORTED_SOURCE", "This plugin uses a source type this version of agent does not support.", {
      hint: "Update agent and try again.",
      details: { source },
    });
  }
  const handler = pluginHandlers[source.source] as PluginSourceHandler;
  return handler.fetch(source, dest, ctx);
}

export function describeMarketplaceSource(source: MarketplaceSource): string {
  return (marketplaceHandlers[source.source] as MarketplaceSourceHandler).describe(source);
}

export function describePluginSource(source: PluginSource): string {
  return typeof source === "string" ? source : (pluginHandlers[source.source] as PluginSourceHandler).describe(source);
}

export { checkPolicy, evaluatePolicy, sourceKey } from "./policy.js";
export type { FetchContext, FetchedPlugin, MaterializedMarketplace, PluginFetchOptions } from "./source.js";
