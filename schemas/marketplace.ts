import { z } from "zod";
import { authorSchema, pluginComponentsShape, pluginMetadataShape } from "./plugin-manifest.js";
import { marketplaceNameSchema } from "./name-schemas.js";
import { hasNoWhitespace } from "./rules.js";
import { pluginSourceSchema, unsupportedPluginSourceSchema } from "./plugin-source.js";

export const relevanceSchema = z.looseObject({
  topic: z.string().max(64).optional(),
  signals: z
    .looseObject({
      cli: z.array(z.string()).max(10).optional(),
      hosts: z.array(z.string()).max(20).optional(),
      filesRead: z.array(z.string()).max(10).optional(),
      manifestDeps: z.array(z.looseObject({ file: z.string(), pattern: z.string() })).max(10).optional(),
      cwd: z.array(z.string()).max(10).optional(),
    })
    .optional(),
});

/** A plugin entry in marketplace.json (reference §3.3): plugin.json fields, all optional, plus extras. */
export const marketplaceEntrySchema = z.looseObject({
  name: z
    .string()
    .min(1, "Plugin name cannot be empty")
    .refine(hasNoWhitespace, "Plugin name cannot contain spaces"),
  source: pluginSourceSchema,
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  strict: z.boolean().optional(),
  relevance: relevanceSchema.optional(),
  ...pluginMetadataShape,
  ...pluginComponentsShape,
});
export type MarketplaceEntry = z.infer<typeof marketplaceEntrySchema>;

/** An entry as held after lenient parsing: either valid, or a stub whose source kind is unsupported. */
export type CatalogEntry = MarketplaceEntry | (Pick<MarketplaceEntry, "name"> & { source: z.infer<typeof unsupportedPluginSourceSchema>; strict: true });

export const marketplaceEntryKeys: readonly string[] = Object.keys(marketplaceEntrySchema.shape);

const marketplaceShape = {
  $schema: z.string().optional(),
  name: marketplaceNameSchema,
  owner: authorSchema,
  description: z.string().optional(),
  version: z.string().optional(),
  metadata: z.looseObject({ pluginRoot: z.string().optional(), version: z.string().optional(), description: z.string().optional() }).optional(),
  allowCrossMarketplaceDependenciesOn: z.array(z.string().min(1)).optional(),
  renames: z.record(z.string(), z.string().nullable()).optional(),
  forceRemoveDeletedPlugins: z.boolean().optional(),
};

/** .claude-plugin/marketplace.json, strictly: every entry must parse (used by validate). */
export const marketplaceSchema = z.looseObject({ ...marketplaceShape, plugins: z.array(marketplaceEntrySchema) });
export type Marketplace = z.infer<typeof marketplaceSchema>;

/** marketplace.json's fields with its entries not parsed yet: what parseLenientMarketplace checks first. */
export const marketplaceShellSchema = z.looseObject({ ...marketplaceShape, plugins: z.array(z.unknown()) });

type MarketplaceShell = z.infer<typeof marketplaceShellSchema>;
export type LenientMarketplace = { [K in keyof MarketplaceShell as K extends "plugins" ? never : K]: MarketplaceShell[K] } & { plugins: CatalogEntry[] };

export const marketplaceKeys: readonly string[] = [...Object.keys(marketplaceShape), "plugins"];
