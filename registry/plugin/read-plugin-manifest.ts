import { existsSync } from "node:fs";
import { join } from "node:path";
import { parsePluginManifest, type PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Finding } from "../../schemas/validation-report.js";
import { issuesToFindings } from "./issue-findings.js";
import { readJsonFile, type JsonFileRead } from "./read-json-file.js";

/** Where Claude Code looks for a plugin's manifest, in order (reference §2.1). */
export const manifestCandidates = [".claude-plugin/plugin.json", "plugin.json"] as const;

export type ManifestRead =
  /** no manifest: components come from the default layout, the name from elsewhere */
  | { status: "absent" }
  /** parsed; `problems` holds nothing (warnings are the validator's business) */
  | { status: "ok"; file: string; manifest: PluginManifest; raw: Record<string, unknown> }
  /** unreadable, not JSON, or not a valid manifest; `raw` is the parsed JSON when there was some */
  | { status: "invalid"; file: string; raw?: unknown; problems: Finding[] };

/**
 * Reads <root>/.claude-plugin/plugin.json, falling back to <root>/plugin.json. The manifest is optional.
 * Never throws: a broken manifest comes back as problems (findings with codes and JSON paths).
 */
export function readPluginManifest(root: string, options: { prefix?: string } = {}): ManifestRead {
  for (const candidate of manifestCandidates) {
    // one read answers "is it there" too; a failure other than "no such file" asks again as existsSync would
    const file = join(root, candidate);
    const read = readJsonFile(file);
    if (read.ok || (read.code !== "path-not-found" && existsSync(file))) return manifestFromRead(file, read, options);
  }
  return { status: "absent" };
}

export function parsePluginManifestFile(file: string, options: { prefix?: string } = {}): ManifestRead {
  return manifestFromRead(file, readJsonFile(file), options);
}

function manifestFromRead(file: string, read: JsonFileRead, options: { prefix?: string }): ManifestRead {
  const prefix = options.prefix ?? "";
  if (!read.ok) return { status: "invalid", file, problems: [{ severity: "error", code: read.code, path: `${prefix}json`, message: read.message, file }] };
  const raw = read.value;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { status: "invalid", file, raw, problems: [{ severity: "error", code: "type-invalid", path: `${prefix}(root)`, message: `plugin.json must hold a JSON object, not ${jsonType(raw)}`, file }] };
  const parsed = parsePluginManifest(raw);
  if (!parsed.success) return { status: "invalid", file, raw, problems: issuesToFindings(parsed.error.issues, { domain: "manifest", prefix, file }) };
  return { status: "ok", file, manifest: parsed.data, raw: raw as Record<string, unknown> };
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
