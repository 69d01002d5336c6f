import { z } from "zod";
import { identifierPattern } from "./names.js";
import validRange from "semver/ranges/valid.js";
import { hasValidDependencyRange, isSemverRange, useSemverRanges } from "./rules.js";

useSemverRanges(validRange);

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
    .refine(isSemverRange, { error: (issue) => `"${String(issue.input)}" is not a valid semver range` })
    .optional(),
});

export const dependencySpecSchema = z.union([
  z
    .string()
    .regex(dependencyStringPattern, 'expected "name", "name@marketplace" or "name@<range>"')
    .refine(hasValidDependencyRange, "the part after @ is neither a marketplace name nor a valid semver range"),
  dependencyObjectSchema,
]);
export type DependencySpec = z.infer<typeof dependencySpecSchema>;
