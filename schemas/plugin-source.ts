import { z } from "zod";
import { hasNoDotDot, hasNoDotDotSegment, isDotRelative } from "./rules.js";

const sha40 = z.string().regex(/^[0-9a-f]{40}$/, "sha must be 40 lowercase hex characters");

/**
 * A relative source: "./plugins/foo", resolved against the marketplace root (the directory that
 * holds .claude-plugin/). "." is accepted and means the root.
 */
export const relativePluginSourceSchema = z
  .string()
  .refine(isDotRelative, 'relative plugin sources must start with "./" (they resolve against the marketplace root)')
  .refine(hasNoDotDotSegment, {
    error: (i) =>
      `Path contains "..": ${String(i.input)}. Plugin source paths are resolved relative to the marketplace root (the directory containing .claude-plugin/), not relative to marketplace.json.`,
  });

export const githubPluginSourceSchema = z.looseObject({
  source: z.literal("github"),
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/repo"'),
  ref: z.string().min(1).optional(),
  sha: sha40.optional(),
});

/** A git repository URL (https, http, ssh, scp-like or file://). */
export const urlPluginSourceSchema = z.looseObject({
  source: z.literal("url"),
  url: z.string().min(1),
  ref: z.string().min(1).optional(),
  sha: sha40.optional(),
});

export const gitSubdirPluginSourceSchema = z.looseObject({
  source: z.literal("git-subdir"),
  url: z.string().min(1),
  path: z.string().min(1).refine(hasNoDotDotSegment, 'path cannot contain ".."'),
  ref: z.string().min(1).optional(),
  sha: sha40.optional(),
});

export const npmPluginSourceSchema = z.looseObject({
  source: z.literal("npm"),
  package: z.string().min(1).refine(hasNoDotDot, 'package cannot contain ".."'),
  version: z.string().min(1).optional(),
  registry: z.string().url().optional(),
});

/** Newer Claude Code source kinds we accept ahead of time (reference §14, forward compatibility). */
export const archivePluginSourceSchema = z.looseObject({
  source: z.literal("archive"),
  url: z.string().url(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export const commandPluginSourceSchema = z.looseObject({
  source: z.literal("command"),
  command: z.string().min(1).max(500).regex(/^[\x20-\x7e]+$/, "command must be printable ASCII"),
  timeout: z.number().positive().max(600).optional(),
  mode: z.enum(["copy", "link"]).optional(),
});

export const remotePluginSourceSchema = z.discriminatedUnion("source", [
  githubPluginSourceSchema,
  urlPluginSourceSchema,
  gitSubdirPluginSourceSchema,
  npmPluginSourceSchema,
  archivePluginSourceSchema,
  commandPluginSourceSchema,
]);
export type RemotePluginSource = z.infer<typeof remotePluginSourceSchema>;

export const pluginSourceSchema = z.union([relativePluginSourceSchema, remotePluginSourceSchema]);
export type PluginSource = z.infer<typeof pluginSourceSchema>;

/** Placeholder for an entry whose source could not be parsed (kept so the rest of the marketplace works). */
export const unsupportedPluginSourceSchema = z.looseObject({ source: z.literal("unsupported"), reason: z.string().optional() });
export type UnsupportedPluginSource = z.infer<typeof unsupportedPluginSourceSchema>;

export type PluginSourceKind = "relative" | RemotePluginSource["source"] | "unsupported";
export function pluginSourceKind(source: PluginSource | UnsupportedPluginSource): PluginSourceKind {
  return typeof source === "string" ? "relative" : source.source;
}
