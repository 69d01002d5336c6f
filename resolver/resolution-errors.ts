import semverSatisfies from "semver/functions/satisfies.js";
import { AgentError } from "../schemas/errors.js";
import { closestNames } from "./closest-names.js";
import { describeImposer, type ConstraintSnapshot, type Failure, type Imposer } from "./failure.js";
import type { ResolveOptions, ResolverCatalog } from "./resolver-types.js";
import type { VersionMatcher } from "./version-match.js";

/** Turns search failures into one AgentError: the first real failure the search met with everyone's preferred versions. */
export function failureError(failures: readonly Failure[], context: ErrorContext, exhausted: boolean): AgentError {
  const first = failures.find((f) => f.kind !== "clash") ?? failures[0];
  if (!first) return new AgentError("E_INTERNAL", "Dependency resolution failed without a recorded reason");
  const error = explain(first, context);
  const others = failures.filter((f) => f !== first && f.kind !== "clash").slice(0, 10).map((f) => explain(f, context).message);
  if (others.length > 0) error.details.alsoTried = [...new Set(others)].filter((m) => m !== error.message);
  if (exhausted) error.details.searchExhausted = `gave up after ${context.options.maxSteps ?? 1_000_000} tries; this is the first conflict found`;
  return error;
}

export interface ErrorContext {
  catalog: ResolverCatalog;
  options: ResolveOptions;
  matcher: VersionMatcher;
}

function explain(failure: Failure, context: ErrorContext): AgentError {
  switch (failure.kind) {
    case "not-found":
      return notFoundError(failure.id, failure, context.catalog);
    case "cross-marketplace":
      return crossMarketplaceError(failure, context.catalog);
    case "policy":
      return policyError(failure.id, failure.blocked, failure);
    case "invalid-range":
      return invalidRangeError(failure.id, failure.range, failure);
    case "conflict":
    case "clash":
      return conflictError(failure.id, failure.constraints, failure.versions, context);
  }
}

function requiredBy(imposer: Imposer): string {
  return imposer.by === null ? "" : ` (required by ${describeImposer(imposer)})`;
}

export function notFoundError(id: string, imposer: Imposer, catalog: ResolverCatalog): AgentError {
  const at = id.lastIndexOf("@");
  const name = id.slice(0, at);
  const market = id.slice(at + 1);
  const marketplaces = [...catalog.marketplaceNames()];
  const known = catalog.marketplace(market);
  const ids = marketplaces.flatMap((m) => [...(catalog.marketplace(m)?.plugins ?? [])].map((p) => `${p}@${m}`));
  const inOtherMarketplaces = closestNames(market, marketplaces, marketplaces.length).map((m) => `${name}@${m}`).filter((x) => catalog.versions(x).length > 0);
  const suggestions = known || inOtherMarketplaces.length === 0 ? closestNames(id, ids) : inOtherMarketplaces.slice(0, 3);
  const subject = imposer.by === null ? `Plugin "${id}"` : `Dependency "${id}"${requiredBy(imposer)}`;
  const where = known ? `not found in marketplace "${market}"` : `not found: marketplace "${market}" is not added`;
  const hint = suggestions.length > 0
    ? `Did you mean ${suggestions.join(", ")}?`
    : known
      ? `Refresh the marketplace: agent plugin marketplace update ${market}`
      : `Add the marketplace that provides it: agent plugin marketplace add <source>`;
  return new AgentError("E_NOT_FOUND", `${subject} ${where}`, {
    hint,
    details: { plugin: id, requiredBy: imposer.by === null ? null : describeImposer(imposer), marketplaceKnown: known !== undefined, suggestions },
  });
}

function crossMarketplaceError(failure: Extract<Failure, { kind: "cross-marketplace" }>, catalog: ResolverCatalog): AgentError {
  const from = failure.fromMarketplace;
  const file = catalog.marketplace(from)?.manifestPath ?? `.claude-plugin/marketplace.json of marketplace "${from}"`;
  return new AgentError(
    "E_CROSS_MARKETPLACE",
    `Dependency "${failure.id}"${requiredBy(failure)} is in marketplace "${failure.targetMarketplace}", which marketplace "${from}" does not allow`,
    {
      hint: `Add "${failure.targetMarketplace}" to "allowCrossMarketplaceDependenciesOn" in ${file}, or install it yourself first: agent plugin install ${failure.id}`,
      details: { dependency: failure.id, requiredBy: describeImposer(failure), marketplace: from, targetMarketplace: failure.targetMarketplace, file, key: "allowCrossMarketplaceDependenciesOn" },
    },
  );
}

export function policyError(id: string, blocked: "marketplace" | "plugin", imposer: Imposer): AgentError {
  const market = id.slice(id.lastIndexOf("@") + 1);
  const what = blocked === "marketplace" ? `is from marketplace "${market}", which is blocked by your organization's policy` : "is blocked by your organization's policy";
  const subject = imposer.by === null ? `Plugin "${id}"` : `Dependency "${id}"${requiredBy(imposer)}`;
  const setting = blocked === "marketplace" ? `blockedMarketplaces / strictKnownMarketplaces` : `enabledPlugins ("${id}": false)`;
  return new AgentError("E_POLICY_BLOCKED", `${subject} ${what}`, {
    hint: imposer.by === null
      ? `Ask your administrator to change ${setting} in managed-settings.json.`
      : `Install a version of ${imposer.by} that does not need it, or ask your administrator to change ${setting} in managed-settings.json.`,
    details: { plugin: id, requiredBy: imposer.by === null ? null : describeImposer(imposer), blocked, setting },
  });
}

export function invalidRangeError(id: string, range: string, imposer: Imposer): AgentError {
  const message = imposer.by === null
    ? `The requested version range for ${id} is not a valid semver range: "${range}"`
    : `${describeImposer(imposer)} declares an invalid version range for ${id}: "${range}"`;
  return new AgentError("E_INVALID_RANGE", message, {
    hint: imposer.by === null ? `Use a node-semver range such as ^1.2.0` : `Fix the dependency on ${id} in ${imposer.by}'s plugin.json or marketplace entry (e.g. "^1.2.0").`,
    details: { plugin: id, range, requiredBy: imposer.by === null ? null : describeImposer(imposer) },
  });
}

function describeConstraint(id: string, c: ConstraintSnapshot): string {
  const range = c.range === undefined ? "" : ` ${c.range}`;
  return c.by === null ? `you asked for ${id}${range}` : `${c.by}@${c.byVersion} depends on ${id}${range}`;
}

function chainLine(c: ConstraintSnapshot): string | undefined {
  if (c.chain.length < 2) return undefined;
  return `${c.chain[c.chain.length - 1]} is needed through ${c.chain.join(" → ")}`;
}

function conflictError(id: string, constraints: ConstraintSnapshot[], versions: string[], context: ErrorContext): AgentError {
  const { matcher } = context;
  const satisfies = (version: string, c: ConstraintSnapshot): boolean => c.range === undefined || matcher.satisfies(version, c.range);
  const listed = versions.length > 0 ? versions.join(", ") : "none";
  const evidence = { plugin: id, versions, constraints: constraints.map((c) => ({ range: c.range ?? "*", by: c.by === null ? "request" : `${c.by}@${c.byVersion}`, chain: c.chain })) };
  const alone = constraints.find((c) => !versions.some((v) => satisfies(v, c)));
  if (alone) {
    const prerelease = versions.filter((v) => alone.range !== undefined && semverSatisfies(v, alone.range, { includePrerelease: true }));
    const optIn = prerelease.length > 0 ? ` (the prerelease ${prerelease[0]} matches only a range that names a prerelease of the same version, e.g. ^${prerelease[0]})` : "";
    const derivation = [`Because ${describeConstraint(id, alone)} and ${id} has only ${listed}, no version matches${optIn}.`, chainLine(alone)].filter(Boolean) as string[];
    return new AgentError("E_NO_MATCHING_VERSION", `No version of ${id} matches ${alone.range}${alone.by === null ? "" : ` (required by ${alone.by}@${alone.byVersion})`}; available: ${listed}`, {
      hint: alone.by === null ? `Pick one of the available versions (${listed}).` : `Refresh the marketplace (agent plugin marketplace update ${id.slice(id.lastIndexOf("@") + 1)}), or ask the author of ${alone.by} to widen the range.`,
      details: { ...evidence, range: alone.range, requiredBy: alone.by === null ? null : `${alone.by}@${alone.byVersion}`, derivation },
    });
  }
  let pair: [ConstraintSnapshot, ConstraintSnapshot] | undefined;
  for (let i = 0; i < constraints.length && !pair; i++)
    for (let j = i + 1; j < constraints.length && !pair; j++)
      if (!versions.some((v) => satisfies(v, constraints[i]!) && satisfies(v, constraints[j]!))) pair = [constraints[i]!, constraints[j]!];
  const involved = pair ?? constraints;
  const subject = (c: ConstraintSnapshot): string => (c.by === null ? `${id} ${c.range ?? ""}`.trim() : c.by);
  const reasons = involved.map((c) => describeConstraint(id, c));
  const head = pair
    ? `Because ${reasons[0]} and ${reasons[1]}, ${subject(pair[0])} and ${subject(pair[1])} cannot both be installed.`
    : `Because ${reasons.slice(0, -1).join(", ")} and ${reasons[reasons.length - 1]}, no version of ${id} satisfies all of them (available: ${listed}).`;
  const derivation = [head, ...(involved.map(chainLine).filter(Boolean) as string[])];
  const installed = involved.flatMap((c) => (c.by !== null && context.options.installed?.[c.by] ? [c.by] : []));
  const hint = installed.length > 0
    ? `${installed.join(" and ")} ${installed.length > 1 ? "are" : "is"} installed and holds ${id} back; try \`agent plugin update ${installed.join(" ")}\`, or uninstall ${installed.length > 1 ? "them" : "it"} first.`
    : `No published versions agree on ${id}; install only one of ${involved.map(subject).join(", ")}, or ask their authors to widen the ranges (see \`agent plugin why ${id}\`).`;
  return new AgentError("E_RANGE_CONFLICT", head, { hint, details: { ...evidence, conflicting: involved.map((c) => ({ range: c.range ?? "*", by: c.by === null ? "request" : `${c.by}@${c.byVersion}` })), derivation } });
}

export function cycleError(cycle: string[], versions: ReadonlyMap<string, string>): AgentError {
  const path = cycle.join(" → ");
  const last = cycle[cycle.length - 2]!;
  const target = cycle[cycle.length - 1]!;
  return new AgentError("E_CYCLE", `Dependency cycle: ${path}`, {
    hint: cycle.length === 2
      ? `${target} depends on itself: remove that entry from its plugin.json or marketplace entry "dependencies".`
      : `Remove the dependency of ${last} on ${target} (its plugin.json or marketplace entry "dependencies"); plugins cannot depend on each other in a circle.`,
    details: { cycle, path: `cycle: ${path}`, versions: Object.fromEntries(cycle.slice(0, -1).map((id) => [id, versions.get(id)])) },
  });
}
