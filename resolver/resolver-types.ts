import type { NormalizedDependency } from "../schemas/dependency.js";

/**
 * What the resolver is given and what it returns. The resolver does no I/O: the installer loads
 * marketplaces, plugin.json files, git tags and registry version lists first, then answers these
 * synchronous lookups from memory.
 */

/** A marketplace as the resolver needs it. */
export interface CatalogMarketplaceInfo {
  name: string;
  /** marketplaces this one's plugins may depend on (its marketplace.json key of the same name) */
  allowCrossMarketplaceDependenciesOn?: readonly string[];
  /** path of its marketplace.json, named in E_CROSS_MARKETPLACE hints */
  manifestPath?: string;
  /** plugin names it offers (used only to suggest names when something is not found) */
  plugins: Iterable<string>;
}

/** One installable version of a plugin. */
export interface Candidate {
  /** semver ("1.2.0", "2.0.0-beta.1") or opaque ("a089332f158e", "unknown"); opaque versions satisfy no range */
  version: string;
  /** merged from the marketplace entry AND plugin.json (one resolution path) */
  dependencies: readonly NormalizedDependency[];
  /** where to fetch it from: opaque to the resolver, copied into the plan */
  source: unknown;
  /** how the lockfile names the source ("<market>:./plugins/x", "git+https://…#sha", "npm:@s/x@1.2.0"); default: canonical JSON of source */
  resolved?: string;
  commit?: string;
  integrity?: string;
}

/** Lookups over already-loaded data. `versions` must include installed versions (from the cache) when known. */
export interface ResolverCatalog {
  marketplace(name: string): CatalogMarketplaceInfo | undefined;
  /** every known marketplace name (for did-you-mean) */
  marketplaceNames(): Iterable<string>;
  /** every version of a plugin id, in any order; [] when the plugin does not exist */
  versions(id: string): readonly Candidate[];
}

export interface RootRequest {
  /** "name@market", or a bare "name" (must be unique across marketplaces) */
  plugin: string;
  /** node-semver range the user asked for */
  range?: string;
  /** true (default): the user asked for it, so it is not auto; false: kept because it is installed and enabled */
  requested?: boolean;
}

export interface ResolveRequest {
  roots: readonly RootRequest[];
}

export interface InstalledPluginState {
  version: string;
  /** installed as a dependency of another plugin */
  auto?: boolean;
  /** enabled plugins keep their dependencies satisfied: they join the resolution as non-requested roots */
  enabled?: boolean;
}

export interface ResolverPolicy {
  /** marketplaces blocked by managed settings (blockedMarketplaces / strictKnownMarketplaces) */
  blockedMarketplaces?: readonly string[];
  /** plugin ids set to false in managed enabledPlugins */
  blockedPlugins?: readonly string[];
}

export interface ResolveOptions {
  /** installed plugins at the target scope, by id */
  installed?: Readonly<Record<string, InstalledPluginState>>;
  policy?: ResolverPolicy;
  /** ids allowed to move off their installed/locked version to the newest one ("all" for every plugin) */
  upgrade?: readonly string[] | "all";
  /** versions recorded in agent-lock.json: preferred over installed ones */
  locked?: Readonly<Record<string, string>>;
  /** search budget (candidate tries) before giving up; default 1,000,000 */
  maxSteps?: number;
}

export type { HeldBack, PlanReason, PlanStep, ResolutionPlan as Plan } from "../schemas/resolution-plan.js";
