import { z } from "zod";
import { hooksMapSchema } from "./hooks.js";
import { marketplaceSourceSchema, policySourceSchema } from "./marketplace-source.js";

/** enabledPlugins values: true/false, or a list of version constraints (counts as enabled). */
export const enabledValueSchema = z.union([z.boolean(), z.array(z.string())]);

export const extraKnownMarketplaceSchema = z.looseObject({
  source: marketplaceSourceSchema,
  installLocation: z.string().optional(),
  autoUpdate: z.boolean().optional(),
});

/** settings.json at user, project and local scope (reference §7, §8). Unknown keys are kept. */
export const settingsSchema = z.looseObject({
  enabledPlugins: z.record(z.string(), enabledValueSchema).optional(),
  extraKnownMarketplaces: z.record(z.string(), extraKnownMarketplaceSchema).optional(),
  pluginConfigs: z.record(z.string(), z.looseObject({ options: z.record(z.string(), z.unknown()).optional() })).optional(),
  hooks: hooksMapSchema.optional(),
  /** agent: "off" disables the plugin sandbox; honoured only in user settings, never project settings */
  sandbox: z.enum(["auto", "off"]).optional(),
  /** agent: how userConfig secrets are stored */
  secretStore: z.enum(["auto", "keychain", "file"]).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** managed-settings.json (reference §9): read-only policy. */
export const managedSettingsSchema = settingsSchema.extend({
  strictKnownMarketplaces: z.array(policySourceSchema).optional(),
  blockedMarketplaces: z.array(policySourceSchema).optional(),
  allowManagedHooksOnly: z.boolean().optional(),
  strictPluginOnlyCustomization: z.union([z.literal(true), z.array(z.string())]).optional(),
  disableSideloadFlags: z.boolean().optional(),
  pluginTrustMessage: z.string().optional(),
  pluginSuggestionMarketplaces: z.array(z.string()).optional(),
  allowedChannelPlugins: z.array(z.looseObject({ marketplace: z.string(), plugin: z.string() })).optional(),
  disableCommandPluginSources: z.boolean().optional(),
});
export type ManagedSettings = z.infer<typeof managedSettingsSchema>;

export const scopeSchema = z.enum(["managed", "user", "project", "local"]);
export type Scope = z.infer<typeof scopeSchema>;
export const editableScopeSchema = z.enum(["user", "project", "local"]);
export type EditableScope = z.infer<typeof editableScopeSchema>;
