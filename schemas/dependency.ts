import validRange from "semver/ranges/valid.js";
import { z } from "zod";
import { identifierPattern } from "./names.js";

/**
 * A dependency as written in plugin.json or a marketplace entry (reference §6.1):
 *   "helper"                 same marketplace as the dependent
 *   "helper@other-mkt"       explicit marketplace
 *   "helper@^1.2"            legacy range suffix; Claude Code drops it, we honour it as a range
 *   { name, marketplace?, version? }  version is a node-semver range
 */
const dependencyStringPattern = /^[A-Za-z0-9][-A-Za-z0-9._]*(?:@[^\s]+)?$/;

export const dependencyObjectSchema = z.looseObject({
  name: z.string().regex(identifierPattern, "dependency name must match ^[A-Za-z0-9][-A-Za-z0-9._]*$"),
  marketplace: z.string().regex(identifierPattern, "marketplace must match ^[A-Za-z0-9][-A-Za-z0-9._]*$").optional(),
  version: z
    .string()
    .refine((r) => validRange(r) !== null, { error: (issue) => `"${String(issue.input)}" is not a valid semver range` })
    .optional(),
});

export const dependencySpecSchema = z.union([
  z
    .string()
    .regex(dependencyStringPattern, 'expected "name", "name@marketplace" or "name@<range>"')
    .refine((s) => {
      const parsed = parseDependencyString(s);
      return parsed.range === undefined || validRange(parsed.range) !== null;
    }, "the part after @ is neither a marketplace name nor a valid semver range"),
  dependencyObjectSchema,
]);
export type DependencySpec = z.infer<typeof dependencySpecSchema>;

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
