import { z } from "zod";

/**
 * Stable codes of `agent plugin validate` findings. Scripts match on them: never rename one.
 * Severity is per finding (the same code may be an error in one place and a warning in another).
 */
export const findingCodes = [
  // reading files
  "file-not-found", // the path given to validate does not exist
  "no-manifest", // a directory without .claude-plugin/plugin.json or marketplace.json
  "manifest-location", // plugin.json found only at the plugin root (fallback location)
  "manifest-json", // JSON syntax error (plugin.json, marketplace.json, hooks.json, .mcp.json, …)
  "file-encoding", // a file that is not valid UTF-8
  "unreadable", // an I/O error other than "not found"
  // generic schema problems
  "type-invalid", // wrong JSON type
  "value-invalid", // right type, bad value
  "unknown-field", // a key Claude Code ignores (warning; error under --strict)
  "experimental-top-level", // top-level monitors/themes instead of experimental.*
  // metadata
  "name-empty",
  "name-invalid", // spaces or other hard name rules
  "name-not-kebab", // warning
  "semver-invalid",
  "version-missing", // warning
  "version-mismatch", // warning: entry version differs from plugin.json
  "description-missing", // warning
  "author-missing", // warning
  "url-invalid",
  "userconfig-invalid",
  // component paths and files
  "path-invalid", // no "./" prefix, wrong extension
  "path-traversal", // ".." in a path or a relative source
  "path-not-found",
  "symlink-escape", // a component path that resolves outside the plugin root through a symlink
  "component-in-manifest-dir", // components/ placed inside .claude-plugin/ (never loaded)
  "default-folder-ignored", // a default folder shadowed by a manifest key
  "frontmatter-yaml",
  "frontmatter-missing",
  "frontmatter-invalid",
  "hook-event-unknown",
  "hook-matcher-invalid",
  "hook-invalid",
  "mcp-invalid",
  "lsp-invalid",
  "monitor-invalid",
  // dependencies
  "dependency-invalid",
  "dependency-legacy-range", // warning: "name@^1.2" (agent honours the range, Claude Code drops it)
  "dependency-cycle",
  "dependency-missing",
  "cross-marketplace",
  // marketplaces
  "reserved-name",
  "impersonation",
  "no-plugins", // warning
  "duplicate-plugin",
  "source-invalid",
  "source-missing",
  "strict-conflict",
  "rename-invalid",
  // a bug in the validator itself, reported instead of crashing
  "internal",
] as const;
export const findingCodeSchema = z.enum(findingCodes);
export type FindingCode = z.infer<typeof findingCodeSchema>;

export const findingSchema = z.object({
  severity: z.enum(["error", "warning"]),
  code: findingCodeSchema,
  /** JSON path of the bad field as users read it: plugins[3].source.repo, `plugins[2] plugin.json → version` */
  path: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** absolute path of the file the finding is about */
  file: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** What `agent plugin validate --json` prints. */
export const validationReportSchema = z.object({
  kind: z.enum(["plugin", "marketplace"]).nullable(),
  /** absolute path of the manifest validated (or of the argument when none was found) */
  path: z.string(),
  strict: z.boolean(),
  findings: z.array(findingSchema),
  errors: z.number().int(),
  warnings: z.number().int(),
  /** no errors, and no warnings either under --strict */
  ok: z.boolean(),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;
