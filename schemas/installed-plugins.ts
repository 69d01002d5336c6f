import { z } from "zod";
import { pluginIdPattern } from "./names.js";
import { scopeSchema } from "./settings.js";

/**
 * agent: where a direct install (`agent plugin install ./dir | owner/repo[:path] | <git url>`) came from,
 * so `update` fetches it again from there. An extra record field, which Claude Code ignores.
 */
export const directSourceSchema = z.discriminatedUnion("source", [
  z.looseObject({ source: z.literal("directory"), path: z.string().min(1) }),
  z.looseObject({
    source: z.literal("github"),
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/repo"'),
    path: z.string().min(1).optional(),
    ref: z.string().min(1).optional(),
  }),
  z.looseObject({ source: z.literal("git"), url: z.string().min(1), ref: z.string().min(1).optional() }),
]);
export type DirectSource = z.infer<typeof directSourceSchema>;

/** One scope record of an installed plugin (reference §7). */
export const installRecordSchema = z.looseObject({
  scope: scopeSchema,
  projectPath: z.string().optional(),
  installPath: z.string(),
  version: z.string(),
  installedAt: z.string().optional(),
  lastUpdated: z.string().optional(),
  gitCommitSha: z.string().optional(),
  resolvedVersion: z.string().optional(),
  /** installed as a dependency of another plugin */
  auto: z.boolean().optional(),
  /** agent: sha512 integrity of the cached contents */
  integrity: z.string().optional(),
  directSource: directSourceSchema.optional(),
});
export type InstallRecord = z.infer<typeof installRecordSchema>;

const pluginIdKey = z.string().regex(pluginIdPattern, "Plugin ID must be in format: plugin@marketplace");

export const installedPluginsV2Schema = z.looseObject({
  version: z.literal(2),
  plugins: z.record(pluginIdKey, z.array(installRecordSchema)),
});
export type InstalledPlugins = z.infer<typeof installedPluginsV2Schema>;

/** v1 mapped each ID to a single record; it is read and upgraded to v2. */
export const installedPluginsV1Schema = z.looseObject({
  version: z.literal(1).optional(),
  plugins: z.record(pluginIdKey, installRecordSchema.extend({ scope: scopeSchema.default("user") })),
});

export const installedPluginsSchema = z.union([
  installedPluginsV2Schema,
  installedPluginsV1Schema.transform((v1): InstalledPlugins => ({
    version: 2,
    plugins: Object.fromEntries(Object.entries(v1.plugins).map(([id, record]) => [id, [record]])),
  })),
]);

