import { AgentError } from "../schemas/errors.js";
import { identifierPattern, parsePluginId } from "../schemas/names.js";
import { closestNames } from "./closest-names.js";
import { compareIds, sortedDependencyOrder } from "./dependency-order.js";
import type { PackageState } from "./package-state.js";
import { cycleError, failureError, invalidRangeError, notFoundError, policyError } from "./resolution-errors.js";
import type { HeldBack, Plan, PlanStep, ResolveOptions, ResolveRequest, ResolverCatalog } from "./resolver-types.js";
import { Search, type SearchRoot } from "./search.js";
import { canonicalJson } from "./canonical-json.js";
import { VersionMatcher } from "./version-match.js";

/**
 * Turns "install these plugins" into an exact plan, or throws one AgentError (E_NOT_FOUND, E_AMBIGUOUS,
 * E_POLICY_BLOCKED, E_INVALID_RANGE, E_CROSS_MARKETPLACE, E_NO_MATCHING_VERSION, E_RANGE_CONFLICT,
 * E_CYCLE) and no partial plan. Pure and deterministic: same request, catalog and options → same plan.
 *
 * Enabled installed plugins join as non-requested roots, so their dependencies keep holding. A cycle
 * among the chosen versions is an error; the search does not backtrack to dodge one (a cycle is a
 * packaging bug to fix, not something to hide by silently picking older versions).
 */
export function resolve(request: ResolveRequest, catalog: ResolverCatalog, options: ResolveOptions = {}): Plan {
  const matcher = new VersionMatcher();
  const requested = new Set<string>();
  const roots: SearchRoot[] = [];
  for (const root of request.roots) {
    const id = rootId(root.plugin, catalog);
    checkRoot(id, root.range, catalog, options, matcher);
    if (root.requested !== false) requested.add(id);
    roots.push({ id, range: root.range });
  }
  const explicit = new Set(roots.map((r) => r.id));
  for (const [id, state] of Object.entries(options.installed ?? {}).sort(([a], [b]) => compareIds(a, b))) {
    if (!state.enabled || explicit.has(id) || catalog.versions(id).length === 0 || isBlocked(id, options)) continue;
    roots.push({ id, range: undefined });
  }

  const search = new Search(catalog, options, matcher);
  const result = search.run(roots);
  if (!result.ok) throw failureError(result.failures, { catalog, options, matcher }, result.exhausted);

  // dependency lists unique and in id order; states sorted by id, so equal inputs give equal orders
  const packages = result.packages.slice().sort((a, b) => compareIds(a.id, b.id));
  const dependencies = new Map<PackageState, PackageState[]>();
  for (const pkg of packages) dependencies.set(pkg, uniqueSortedStates(pkg.dependencyStates(pkg.chosen)));
  const ordered = sortedDependencyOrder(packages, (pkg) => dependencies.get(pkg)!, (pkg) => pkg.id);
  if (!ordered.ok) throw cycleError(ordered.cycle, new Map(result.packages.map((p) => [p.id, p.version])));

  // walked in id order, so every dependents list comes out sorted
  const dependents = new Map<PackageState, string[]>();
  for (const from of packages) {
    for (const to of dependencies.get(from)!) {
      if (to === from) continue;
      const list = dependents.get(to);
      if (list) list.push(from.id);
      else dependents.set(to, [from.id]);
    }
  }
  const steps = ordered.order.map((pkg) => planStep(pkg, dependencies.get(pkg)!.map((d) => d.id), dependents.get(pkg), requested.has(pkg.id), options));
  return { steps, heldBack: heldBack(result.packages, options) };
}

/** Sorted by id, duplicates dropped, in place (an insertion sort: dependency lists are short, and it allocates nothing). */
function uniqueSortedStates(states: PackageState[]): PackageState[] {
  let kept = 0;
  for (let i = 0; i < states.length; i++) {
    const state = states[i]!;
    let at = kept;
    while (at > 0 && compareIds(states[at - 1]!.id, state.id) > 0) at--;
    if (at > 0 && states[at - 1] === state) continue;
    for (let j = kept; j > at; j--) states[j] = states[j - 1]!;
    states[at] = state;
    kept++;
  }
  states.length = kept;
  return states;
}

function planStep(pkg: PackageState, dependencies: string[], dependents: string[] | undefined, isRequested: boolean, options: ResolveOptions): PlanStep {
  const candidate = pkg.candidates[pkg.chosen]!;
  const installed = options.installed?.[pkg.id];
  const reason: PlanStep["reason"] = isRequested ? { kind: "requested" } : dependents ? { kind: "dependency", of: dependents } : { kind: "installed" };
  const step: PlanStep = {
    id: pkg.id,
    name: pkg.name,
    marketplace: pkg.marketplace,
    version: candidate.version,
    source: candidate.source,
    resolved: candidate.resolved ?? canonicalJson(candidate.source),
  } as PlanStep;
  if (candidate.commit !== undefined) step.commit = candidate.commit;
  if (candidate.integrity !== undefined) step.integrity = candidate.integrity;
  step.dependencies = dependencies;
  step.reason = reason;
  step.auto = isRequested ? false : installed ? installed.auto === true : true;
  step.action = !installed ? "add" : installed.version === candidate.version ? "keep" : "change";
  if (installed && installed.version !== candidate.version) step.previousVersion = installed.version;
  return step;
}

/** Plugins asked to upgrade that stay below their newest release, with the constraints that exclude it. */
function heldBack(packages: readonly PackageState[], options: ResolveOptions): HeldBack[] {
  if (!options.upgrade) return [];
  const out: HeldBack[] = [];
  for (const pkg of packages) {
    if (options.upgrade !== "all" && !options.upgrade.includes(pkg.id)) continue;
    const latest = 0; // candidates are sorted highest stable release first
    if (pkg.chosen === latest) continue;
    const excluding = pkg.constraints.filter((c) => c.mask !== null && c.mask[latest] === 0);
    if (excluding.length === 0) continue;
    out.push({
      id: pkg.id,
      version: pkg.version,
      latest: pkg.candidates[latest]!.version,
      constraints: excluding.map((c) => ({ range: c.range!, by: c.by === null ? "request" : `${c.by}@${c.byVersion}` })),
    });
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

function isBlocked(id: string, options: ResolveOptions): boolean {
  const market = id.slice(id.lastIndexOf("@") + 1);
  return options.policy?.blockedMarketplaces?.includes(market) === true || options.policy?.blockedPlugins?.includes(id) === true;
}

function checkRoot(id: string, range: string | undefined, catalog: ResolverCatalog, options: ResolveOptions, matcher: VersionMatcher): void {
  const request = { by: null, byVersion: undefined };
  if (isBlocked(id, options)) {
    const market = id.slice(id.lastIndexOf("@") + 1);
    throw policyError(id, options.policy?.blockedMarketplaces?.includes(market) ? "marketplace" : "plugin", request);
  }
  if (range !== undefined && !matcher.isValidRange(range)) throw invalidRangeError(id, range, request);
  if (catalog.versions(id).length === 0) throw notFoundError(id, request, catalog);
}

/** "name@market" as is; a bare name must be offered by exactly one marketplace (Claude Code silently takes the first). */
function rootId(spec: string, catalog: ResolverCatalog): string {
  if (parsePluginId(spec)) return spec;
  if (!identifierPattern.test(spec)) {
    throw new AgentError("E_USAGE", `"${spec}" is not a plugin name or name@marketplace`, { hint: "Name a plugin as name@marketplace, e.g. formatter@my-marketplace.", details: { plugin: spec } });
  }
  const marketplaces = [...catalog.marketplaceNames()].sort(compareIds);
  const matches = marketplaces.map((m) => `${spec}@${m}`).filter((id) => catalog.versions(id).length > 0);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new AgentError("E_AMBIGUOUS", `Plugin "${spec}" is offered by ${matches.length} marketplaces: ${matches.join(", ")}`, {
      hint: `Name the marketplace: agent plugin install ${matches[0]}`,
      details: { plugin: spec, candidates: matches },
    });
  }
  const names = marketplaces.flatMap((m) => [...(catalog.marketplace(m)?.plugins ?? [])].map((p) => `${p}@${m}`));
  const suggestions = closestNames(spec, names.map((id) => id.slice(0, id.lastIndexOf("@")))).flatMap((n) => names.filter((id) => id.startsWith(`${n}@`)));
  throw new AgentError("E_NOT_FOUND", `Plugin "${spec}" not found in any known marketplace`, {
    hint: suggestions.length > 0 ? `Did you mean ${suggestions.slice(0, 3).join(", ")}?` : "List what is available: agent plugin marketplace list",
    details: { plugin: spec, marketplaces, suggestions: suggestions.slice(0, 3) },
  });
}
