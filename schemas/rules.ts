import { impersonatesOfficialMarketplace, pseudoMarketplaceNames } from "./names.js";
import { parseDependencyString } from "./dependency.js";

/**
 * The checks behind the schemas' `.refine()` calls, as named functions of a module that does not load zod.
 * The bundle's parse graph (schemas/bake-parsers.ts) names the checks it meets by their export here, so
 * the installer checks the files it reads without loading zod at all; a refinement written inline in a
 * schema works the same, but a value that reaches it is handed to zod.
 */

/** Names: no whitespace anywhere. */
export const hasNoWhitespace = (text: string): boolean => !/\s/.test(text);

/** A marketplace name cannot be a path: no "/", "\\" or "..", and not ".". */
export const isNotPathLike = (name: string): boolean => !/[/\\]/.test(name) && !name.includes("..") && name !== ".";

/** inline, builtin and skills-dir name session and built-in plugins, never a marketplace. */
export const isNotPseudoMarketplace = (name: string): boolean => !(pseudoMarketplaceNames as readonly string[]).includes(name.toLowerCase());

export const doesNotImpersonateOfficial = (name: string): boolean => !impersonatesOfficialMarketplace(name);

/** No ".." path segment (either separator). */
export const hasNoDotDotSegment = (path: string): boolean => !path.split(/[\\/]/).includes("..");

/** No ".." anywhere (npm package names). */
export const hasNoDotDot = (text: string): boolean => !text.includes("..");

/** "." or "./…": a source relative to the marketplace root. */
export const isDotRelative = (path: string): boolean => path === "." || path.startsWith("./");

export const endsWithMd = (path: string): boolean => path.endsWith(".md");
export const endsWithJson = (path: string): boolean => path.endsWith(".json");
export const isMcpConfigPath = (path: string): boolean => /\.(json|mcpb|dxt)$/.test(path);
export const isMcpBundleUrl = (url: string): boolean => /\.(mcpb|dxt)$/.test(url);
export const isHttpUrl = (url: string): boolean => /^https?:/.test(url);

/** A node-semver range. */
export const isSemverRange = (range: string): boolean => semverValidRange()(range) !== null;

/** "name", "name@marketplace" or "name@<range>", whose range (when it has one) is valid. */
export const hasValidDependencyRange = (spec: string): boolean => {
  const parsed = parseDependencyString(spec);
  return parsed.range === undefined || semverValidRange()(parsed.range) !== null;
};

/**
 * semver's validRange, which the range rules need and many plugins never do (their dependencies name no
 * range): semver builds some hundred regular expressions as it loads. dependency-schema.ts hands it over as
 * it loads (useSemverRanges), before zod checks any range, and parsers.ts loads it (loadRangeRules) when
 * the parse walk meets a range; until then a range rule throws, and the walk is not sure of the value.
 */
let validRange: ((range: string) => string | null) | undefined;

export function useSemverRanges(fn: (range: string) => string | null): void {
  validRange = fn;
}

/** Loads semver for the range rules; true when this call loaded it (a walk that was unsure may now be sure). */
export async function loadRangeRules(): Promise<boolean> {
  if (validRange) return false;
  validRange = (await import("semver/ranges/valid.js")).default;
  return true;
}

function semverValidRange(): (range: string) => string | null {
  if (!validRange) throw new Error("semver is not loaded yet: the zod schema decides");
  return validRange;
}

/** A hook matcher: "*", "" (all), an exact name list of [A-Za-z0-9_\- ,|], or a JS regex that compiles. */
export const isHookMatcher = (matcher: string): boolean => {
  if (/^[A-Za-z0-9_\- ,|*]*$/.test(matcher)) return true;
  try {
    new RegExp(matcher);
    return true;
  } catch {
    return false;
  }
};

/** userConfig: min is not above max. */
export const hasMinNotAboveMax = (option: { min?: number | undefined; max?: number | undefined }): boolean =>
  option.min === undefined || option.max === undefined || option.min <= option.max;

/** userConfig: min and max only on number options. */
export const hasLimitsOnlyIfNumber = (option: { type: string; min?: number | undefined; max?: number | undefined }): boolean =>
  (option.min === undefined && option.max === undefined) || option.type === "number";

/** A command entry of plugin.json: exactly one of source and content. */
export const hasSourceOrContent = (command: { source?: unknown; content?: unknown }): boolean => (command.source === undefined) !== (command.content === undefined);

/** A list (or a path, which names none) whose items' names are unique. */
export const hasUniqueNames = (items: string | { name: string }[]): boolean => !Array.isArray(items) || new Set(items.map((item) => item.name)).size === items.length;

/** A map with at least one key. */
export const hasEntries = (map: Record<string, unknown>): boolean => Object.keys(map).length > 0;

/** An LSP command: an absolute path, or a name without spaces (arguments go in args). */
export const isCommandWithoutSpaces = (server: { command: string }): boolean => !server.command.includes(" ") || server.command.startsWith("/");
