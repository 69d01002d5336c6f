import { z } from "zod";
import { pluginIdPattern } from "./names.js";
import { scopeSchema } from "./settings.js";

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

export function emptyInstalledPlugins(): InstalledPlugins {
  return { version: 2, plugins: {} };
}
