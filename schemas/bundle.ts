import { z } from "zod";
import { marketplaceSourceSchema } from "./marketplace-source.js";

/**
 * bundle.json at the root of an offline plugin bundle (`agent plugin bundle`): the plugins asked for,
 * every plugin of their resolution with its version and tree integrity, and where each marketplace
 * came from (policy is checked against that source when the bundle is installed).
 */
export const bundledPluginSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  marketplace: z.string().min(1),
  version: z.string().min(1),
  /** sha512 over the plugin's tree, as the cache records it; checked again on install */
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/, "expected a sha512 SRI string"),
  commit: z.string().optional(),
  dependencies: z.array(z.string()),
  root: z.boolean(),
});
export type BundledPlugin = z.infer<typeof bundledPluginSchema>;

export const bundleManifestSchema = z.object({
  format: z.literal("agent-plugin-bundle"),
  formatVersion: z.literal(1),
  roots: z.array(z.string()).min(1),
  marketplaces: z.record(z.string(), z.object({ source: marketplaceSourceSchema, commit: z.string().optional() })),
  plugins: z.array(bundledPluginSchema).min(1),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;
