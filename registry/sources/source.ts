import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { ManagedSettings } from "../../schemas/settings.js";
import type { RemotePluginSource } from "../../schemas/plugin-source.js";

/**
 * The contract every source kind implements (one file per kind in registry/sources/, one dispatch
 * table in registry/sources/index.ts that applies managed policy before any I/O).
 */
export interface FetchContext {
  env: NodeJS.ProcessEnv;
  /** progress lines (stderr); never contains secrets */
  log(line: string): void;
  signal?: AbortSignal;
  /** per network operation; default from AGENT_FETCH_TIMEOUT_MS or 120 s */
  timeoutMs?: number;
  /** managed policy, checked by the dispatcher before the handler runs */
  policy: ManagedSettings;
  /** agent state dir (npm cache, credentials) */
  home: string;
  /** pacote cache; default <home>/plugins/npm-cache */
  npmCacheDir?: string;
}

/** A marketplace made available on disk. */
export interface MaterializedMarketplace {
  /** what known_marketplaces.json records as installLocation: a dir (git/dir) or the JSON file itself (url/file/npm) */
  installLocation: string;
  /** the marketplace.json that was read */
  manifestPath: string;
  /** directory relative plugin sources resolve against (the dir that holds .claude-plugin/) */
  pluginRoot: string | undefined;
  /** git commit of the checkout, when git-backed */
  commit?: string;
}

export interface MarketplaceSourceHandler<S extends MarketplaceSource = MarketplaceSource> {
  kind: S["source"];
  /**
   * Materializes the marketplace at `dest`, a path that does not exist yet, beside its final place (the
   * caller renames it to plugins/marketplaces/<name> only after it parsed). The handler creates a
   * directory there (git, github, npm, settings) or a file (url, stored like Claude Code does).
   * Directory and file sources are read in place and ignore dest.
   */
  fetch(source: S, dest: string, ctx: FetchContext): Promise<MaterializedMarketplace>;
}

/** A plugin's contents fetched into a directory the installer then moves into the cache. */
export interface FetchedPlugin {
  /** directory holding the plugin root (contains .claude-plugin/ or the components) */
  dir: string;
  /** full 40-hex commit when git-backed */
  commit?: string;
  /** sha512 SRI of the archive when the source delivered one (npm, archive) */
  integrity?: string;
  /** version the source itself knows (npm package version); the §5 rule decides the cache key */
  sourceVersion?: string;
  /** the cache key suffix rule of §5: "git-subdir" needs sha256(path)[:8] */
  subdirPath?: string;
}

export interface PluginSourceHandler<S extends RemotePluginSource = RemotePluginSource> {
  kind: S["source"];
  /** fetches into `dest` (a path that does not exist yet; the handler creates it); never writes elsewhere */
  fetch(source: S, dest: string, ctx: FetchContext): Promise<FetchedPlugin>;
}

/** What fetchPlugin needs besides the source itself. */
export interface PluginFetchOptions {
  /** the marketplace the plugin is listed in: relative sources resolve against its root */
  marketplaceRoot?: string | undefined;
  /** the marketplace's own source: managed policy is checked against it before any I/O */
  marketplaceSource?: MarketplaceSource | undefined;
}
