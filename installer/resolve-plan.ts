import type { NormalizedDependency } from "../schemas/dependency.js";
import { AgentError } from "../schemas/errors.js";
import { formatPluginId } from "../schemas/names.js";
import type { Catalog, CatalogPlugin } from "./catalog/catalog-types.js";
import type { PluginDefinition } from "./install/plugin-definition.js";

/**
 * The installer's one door to dependency resolution: roots + catalog → an ordered plan (dependencies
 * first). Entry and plugin.json dependencies arrive merged in PluginDefinition, so there is one path:
 * a cycle, a missing dependency, a cross-marketplace dependency without an allowlist, a range no version
 * satisfies — each is a hard error before anything is written.
 */
export interface PlanRequest {
  roots: CatalogPlugin[];
  catalog: Catalog;
  /** called once per plugin before it is read (policy checks happen here, before any download) */
  admit(plugin: CatalogPlugin, requiredBy: string | undefined): void;
  /** the merged definition (may fetch a remote plugin into staging) */
  define(plugin: CatalogPlugin): Promise<PluginDefinition>;
  /** the installed version visible at the target scope, if installed */
  installedVersion(id: string): string | undefined;
}

export interface PlannedPlugin {
  id: string;
  plugin: CatalogPlugin;
  definition: PluginDefinition;
  /** ids this plugin depends on (planned or already installed) */
  dependencies: string[];
  requiredBy: string[];
  root: boolean;
  /** set when already installed at the target scope (kept, not re-fetched) */
  installedVersion: string | undefined;
}

export interface Plan {
  /** dependencies before dependents */
  order: PlannedPlugin[];
}

interface Constraint {
  range: string;
  by: string;
}

export async function resolvePlan(request: PlanRequest): Promise<Plan> {
  const nodes = new Map<string, PlannedPlugin>();
  const constraints = new Map<string, Constraint[]>();
  const rootIds = new Set(request.roots.map((r) => r.id));
  const queue: { plugin: CatalogPlugin; requiredBy: string | undefined }[] = request.roots.map((plugin) => ({ plugin, requiredBy: undefined }));
  while (queue.length) {
    const { plugin, requiredBy } = queue.shift()!;
    const existing = nodes.get(plugin.id);
    if (existing) {
      if (requiredBy && !existing.requiredBy.includes(requiredBy)) existing.requiredBy.push(requiredBy);
      continue;
    }
    request.admit(plugin, requiredBy);
    const installedVersion = rootIds.has(plugin.id) ? request.installedVersion(plugin.id) : undefined;
    const definition = await request.define(plugin);
    const node: PlannedPlugin = { id: plugin.id, plugin, definition, dependencies: [], requiredBy: requiredBy ? [requiredBy] : [], root: rootIds.has(plugin.id), installedVersion };
    nodes.set(plugin.id, node);
    for (const dep of definition.dependencies) {
      const target = dependencyTarget(request, plugin, dep);
      node.dependencies.push(target.id);
      if (dep.range) constraints.set(target.id, [...(constraints.get(target.id) ?? []), { range: dep.range, by: plugin.id }]);
      if (target.plugin) queue.push({ plugin: target.plugin, requiredBy: plugin.id });
    }
  }
  const order = topologicalOrder(nodes);
  if (constraints.size) {
    // loaded only for plans with version ranges: semver builds some hundred regular expressions as it loads
    const semver = await loadSemver();
    for (const [id, list] of constraints) checkRanges(semver, id, list, nodes.get(id)?.definition, request.installedVersion(id));
  }
  return { order };
}

/** The dependency's id, and the catalog plugin to install unless it is already installed. */
function dependencyTarget(request: PlanRequest, from: CatalogPlugin, dep: NormalizedDependency): { id: string; plugin: CatalogPlugin | undefined } {
  const market = dep.marketplace ?? from.marketplace.name;
  const id = formatPluginId(dep.name, market);
  const installed = request.installedVersion(id) !== undefined;
  if (installed) return { id, plugin: undefined };
  if (market !== from.marketplace.name) {
    const allowed = [from.marketplace, ...request.roots.map((r) => r.marketplace)].some((m) => m.manifest.allowCrossMarketplaceDependenciesOn?.includes(market));
    if (!allowed) {
      throw new AgentError("E_CROSS_MARKETPLACE", `Dependency "${id}" (required by ${from.id}) is in marketplace "${market}", which "${from.marketplace.name}" does not allow`, {
        hint: `Install it yourself first (agent plugin install ${id}), or add "${market}" to allowCrossMarketplaceDependenciesOn in ${from.marketplace.name}'s marketplace.json.`,
        details: { dependency: id, requiredBy: from.id, marketplace: market },
      });
    }
  }
  const plugin = request.catalog.plugin(id);
  if (!plugin) {
    const known = request.catalog.marketplaces.has(market);
    throw new AgentError("E_NOT_FOUND", `Dependency "${id}" (required by ${from.id}) not found${known ? ` in marketplace "${market}"` : `: marketplace "${market}" is not added`}`, {
      hint: known ? `Try \`agent plugin marketplace update ${market}\`.` : `Add the marketplace that provides it: agent plugin marketplace add <source>`,
      details: { dependency: id, requiredBy: from.id },
    });
  }
  return { id, plugin };
}

function topologicalOrder(nodes: Map<string, PlannedPlugin>): PlannedPlugin[] {
  const order: PlannedPlugin[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: string[]): void => {
    const node = nodes.get(id);
    if (!node || state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new AgentError("E_CYCLE", `Dependency cycle: ${cycle.join(" → ")}`, {
        hint: "Remove one of these dependencies; plugins cannot depend on each other in a circle.",
        details: { cycle },
      });
    }
    state.set(id, "visiting");
    for (const dep of node.dependencies) visit(dep, [...path, id]);
    state.set(id, "done");
    order.push(node);
  };
  for (const id of [...nodes.keys()].sort()) visit(id, []);
  return order;
}

async function loadSemver() {
  const [coerce, satisfies, validVersion, intersects] = await Promise.all([
    import("semver/functions/coerce.js"),
    import("semver/functions/satisfies.js"),
    import("semver/functions/valid.js"),
    import("semver/ranges/intersects.js"),
  ]);
  return { coerce: coerce.default, satisfies: satisfies.default, validVersion: validVersion.default, intersects: intersects.default };
}

function checkRanges(
  { coerce, satisfies, validVersion, intersects }: Awaited<ReturnType<typeof loadSemver>>,
  id: string,
  list: Constraint[],
  definition: PluginDefinition | undefined,
  installedVersion: string | undefined,
): void {
  const version = installedVersion ?? definition?.manifestVersion ?? definition?.entryVersion;
  const valid = version ? validVersion(coerce(version, { includePrerelease: true })?.version ?? "") : null;
  const exact = version && validVersion(version) ? version : valid;
  const failing = list.filter((c) => !exact || !satisfies(exact, c.range, { includePrerelease: false }));
  if (failing.length === 0) return;
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (!intersects(a.range, b.range)) {
        throw new AgentError("E_RANGE_CONFLICT", `Because ${a.by} needs ${id} ${a.range} and ${b.by} needs ${id} ${b.range}, ${a.by} and ${b.by} cannot both be installed`, {
          hint: `No version of ${id} satisfies both ${a.range} and ${b.range}.`,
          details: { dependency: id, constraints: list },
        });
      }
    }
  const c = failing[0]!;
  const offered = installedVersion ? `installed ${installedVersion}` : version ? `the marketplace offers ${version}` : "the marketplace gives it no version";
  throw new AgentError("E_NO_MATCHING_VERSION", `${c.by} needs ${id} ${c.range}, but ${offered}`, {
    hint: installedVersion ? `Update it first: agent plugin update ${id}` : `Ask the maintainer of ${c.by} to relax the range, or update the marketplace.`,
    details: { dependency: id, range: c.range, requiredBy: c.by, version: version ?? null },
  });
}
