import semver from "semver";
import { parseDependencyString } from "../../schemas/dependency.js";
import { kebabCasePattern } from "../../schemas/names.js";
import type { Finding } from "../../schemas/validation-report.js";

export interface FieldRuleOptions {
  /** "" for plugin.json, "plugins[3]." for a marketplace entry, "plugins[3] plugin.json → " for a listed plugin's manifest */
  prefix: string;
  file?: string;
  /** plugin.json (all checks) or a marketplace entry (no missing-metadata warnings, no kebab warning) */
  kind: "plugin.json" | "entry";
  /** metadata the marketplace entry already supplies (missing-field warnings are skipped for those) */
  suppliedByEntry?: { version?: boolean; description?: boolean; author?: boolean };
}

/**
 * Rules on a manifest's fields that go beyond its schema: what Claude Code warns about (missing version,
 * description, author; non-kebab names; top-level experimental keys) and what it misses (semver, legacy
 * dependency ranges, self-dependencies). Reads the raw JSON so it works on manifests that failed to parse.
 */
export function manifestFieldFindings(raw: Record<string, unknown>, options: FieldRuleOptions): Finding[] {
  const out: Finding[] = [];
  const { prefix } = options;
  const add = (severity: Finding["severity"], code: Finding["code"], path: string, message: string, hint?: string) =>
    out.push({ severity, code, path: prefix + path, message, ...(hint ? { hint } : {}), ...(options.file ? { file: options.file } : {}) });
  const plugin = options.kind === "plugin.json";
  const supplied = options.suppliedByEntry ?? {};

  const name = raw.name;
  if (plugin && typeof name === "string" && name.length > 0 && !/\s/.test(name) && !kebabCasePattern.test(name))
    add("warning", "name-not-kebab", "name", `Plugin name "${clip(name)}" is not kebab-case. Claude Code accepts it, but the Claude.ai marketplace sync requires kebab-case (lowercase letters, digits, and hyphens only, e.g., "my-plugin").`);

  const version = raw.version;
  if (typeof version === "string") {
    if (semver.valid(version) !== version)
      add("error", "semver-invalid", "version", `"${clip(version)}" is not a valid semver version`, 'Use MAJOR.MINOR.PATCH, e.g. "1.0.0" (a "v" prefix is not allowed). Claude Code accepts any string, but version ranges and tags need semver.');
  } else if (version === undefined && plugin && !supplied.version)
    add("warning", "version-missing", "version", 'No version specified. Consider adding a version following semver (e.g., "1.0.0")');

  if (plugin && raw.description === undefined && !supplied.description)
    add("warning", "description-missing", "description", "No description provided. A description helps users understand what the plugin does.");
  if (plugin && raw.author === undefined && !supplied.author)
    add("warning", "author-missing", "author", "No author information provided. Consider adding an author with at least a name.");

  for (const key of ["monitors", "themes"] as const)
    if (raw[key] !== undefined)
      add("warning", "experimental-top-level", key, `'${key}' is an experimental component; declare it under 'experimental.${key}' instead of at the top level. Top-level still loads for now but will be removed in a future release.`);

  if (Array.isArray(raw.dependencies))
    raw.dependencies.forEach((dep, i) => {
      const parsed = typeof dep === "string" ? parseDependencyString(dep) : typeof dep === "object" && dep !== null ? { name: (dep as { name?: unknown }).name } : undefined;
      if (typeof dep === "string" && parsed && "legacyRange" in parsed && parsed.legacyRange && semver.validRange(parsed.range ?? "") !== null)
        add("warning", "dependency-legacy-range", `dependencies[${i}]`, `"${clip(dep)}" uses the legacy "name@range" form: agent honours ${parsed.range} as a version range, but Claude Code strips the suffix and accepts any version of ${parsed.name}.`, `Write {"name": "${parsed.name}", "version": "${parsed.range}"} so both tools enforce the range.`);
      if (parsed && typeof name === "string" && parsed.name === name && (typeof dep === "string" ? !parseDependencyString(dep).marketplace : !(dep as { marketplace?: unknown }).marketplace))
        add("error", "dependency-cycle", `dependencies[${i}]`, `Plugin "${clip(name)}" depends on itself`);
    });
  return out;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
