import type { DependencySpec } from "./dependency-schema.js";
import { identifierPattern } from "./names.js";

export type { DependencySpec };

/** A dependency in one shape: what the resolver works with. */
export interface NormalizedDependency {
  name: string;
  /** undefined = the dependent's own marketplace */
  marketplace?: string;
  /** node-semver range; undefined = any version */
  range?: string;
  /** true when the range came from the legacy "name@^1.2" string form */
  legacyRange?: boolean;
}

/** Splits "name", "name@market" and "name@^1.2" (a range suffix starts with a non-identifier char or is a valid range). */
export function parseDependencyString(spec: string): NormalizedDependency {
  const at = spec.indexOf("@");
  if (at <= 0) return { name: spec };
  const name = spec.slice(0, at);
  const rest = spec.slice(at + 1);
  if (identifierPattern.test(rest) && !looksLikeRange(rest)) return { name, marketplace: rest };
  return { name, range: rest, legacyRange: true };
}

function looksLikeRange(text: string): boolean {
  return /^[~^<>=*]|^\d/.test(text) || /^[xX]$/.test(text);
}

export function normalizeDependency(spec: DependencySpec): NormalizedDependency {
  if (typeof spec === "string") return parseDependencyString(spec);
  return {
    name: spec.name,
    ...(spec.marketplace ? { marketplace: spec.marketplace } : {}),
    ...(spec.version ? { range: spec.version } : {}),
  };
}
