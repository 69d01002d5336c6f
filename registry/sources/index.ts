import type { MarketplaceSource, MarketplaceSourceKind } from "../../schemas/marketplace-source.js";
import { AgentError } from "../../schemas/errors.js";
import type { PluginSource, RemotePluginSource, UnsupportedPluginSource } from "../../schemas/plugin-source.js";
import { checkPolicy } from "./policy.js";
import type { FetchContext, FetchedPlugin, MarketplaceSourceHandler, MaterializedMarketplace, PluginFetchOptions, PluginSourceHandler } from "./source.js";

/**
 * One table per side: adding a source kind is one file and one line here. A handler loads on first
 * use, so fetching one kind (a git clone) does not wait for the code of the others (npm, http, archives).
 */
const marketplaceHandlers: { [K in MarketplaceSourceKind]: () => Promise<MarketplaceSourceHandler<Extract<MarketplaceSource, { source: K }>>> } = {
  directory: async () => (await import("./directory.js")).directoryMarketplace,
  file: async () => (await import("./file.js")).fileMarketplace,
  git: async () => (await import("./git.js")).gitMarketplace,
  github: async () => (await import("./github.js")).githubMarketplace,
  url: async () => (await import("./url.js")).urlMarketplace,
  npm: async () => (await import("./npm.js")).npmMarketplace,
  settings: async () => (await import("./settings.js")).settingsMarketplace,
};

const pluginHandlers: { [K in RemotePluginSource["source"]]: () => Promise<PluginSourceHandler<Extract<RemotePluginSource, { source: K }>>> } = {
  github: async () => (await import("./github.js")).githubPlugin,
  url: async () => (await import("./git.js")).gitPlugin,
  "git-subdir": async () => (await import("./git-subdir.js")).gitSubdirPlugin,
  npm: async () => (await import("./npm.js")).npmPlugin,
  archive: async () => (await import("./archive.js")).archivePlugin,
  command: async () => (await import("./command.js")).commandPlugin,
};

function marketplaceHandler(source: MarketplaceSource): Promise<MarketplaceSourceHandler> {
  return (marketplaceHandlers[source.source] as () => Promise<MarketplaceSourceHandler>)();
}

function pluginHandler(source: RemotePluginSource): Promise<PluginSourceHandler> {
  return (pluginHandlers[source.source] as () => Promise<PluginSourceHandler>)();
}

/** Applies managed policy (before any I/O), then materializes the marketplace at `dest`. */
export async function fetchMarketplace(source: MarketplaceSource, dest: string, ctx: FetchContext): Promise<MaterializedMarketplace> {
  return (await marketplaceFetcher(source, ctx))(dest);
}

/** Starts loading the code of the source's kind (no I/O on the source itself), so a fetch that follows need not wait for it. */
export function preloadMarketplaceHandler(source: MarketplaceSource): void {
  marketplaceHandler(source).catch(() => {});
}

/**
 * The fetch of one marketplace made ready to run: managed policy checked (before any I/O) and the code
 * of its kind loaded. Calling it starts the I/O at once: a git source has spawned git when it returns.
 */
export async function marketplaceFetcher(source: MarketplaceSource, ctx: FetchContext): Promise<(dest: string) => Promise<MaterializedMarketplace>> {
  checkPolicy(source, ctx.policy);
  const handler = await marketplaceHandler(source);
  return (dest) => handler.fetch(source, dest, ctx);
}

/**
 * Fetches a plugin's contents into `dest` (a path that does not exist yet). The marketplace it is
 * listed in is checked against managed policy first, before any I/O.
 */
export async function fetchPlugin(source: PluginSource | UnsupportedPluginSource, dest: string, ctx: FetchContext, options: PluginFetchOptions = {}): Promise<FetchedPlugin> {
  if (options.marketplaceSource) checkPolicy(options.marketplaceSource, ctx.policy);
  if (typeof source === "string") return (await import("./relative.js")).fetchRelativePlugin(source, options.marketplaceRoot, dest, ctx);
  if (source.source === "unsupported") {
    throw new AgentError("E_UNSUPPORTED_SOURCE", "This plugin uses a source type this version of agent does not support.", {
      hint: "Update agent and try again.",
      details: { source },
    });
  }
  return (await pluginHandler(source)).fetch(source, dest, ctx);
}

export { checkPolicy, evaluatePolicy, sourceKey } from "./policy.js";
export type { FetchContext, FetchedPlugin, MaterializedMarketplace, PluginFetchOptions } from "./source.js";
