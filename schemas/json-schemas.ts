import { z } from "zod";
import { hooksFileSchema } from "./hooks.js";
import { lspFileSchema } from "./lsp.js";
import { marketplaceSchema } from "./marketplace.js";
import { mcpFileSchema } from "./mcp.js";
import { pluginManifestSchema } from "./plugin-manifest.js";
import { managedSettingsSchema, settingsSchema } from "./settings.js";

/** The file formats agent publishes JSON Schema for (editor completion via "$schema"). */
export const publishedSchemas = {
  plugin: { file: ".claude-plugin/plugin.json", schema: pluginManifestSchema },
  marketplace: { file: ".claude-plugin/marketplace.json", schema: marketplaceSchema },
  hooks: { file: "hooks/hooks.json", schema: hooksFileSchema },
  mcp: { file: ".mcp.json", schema: mcpFileSchema },
  lsp: { file: ".lsp.json", schema: lspFileSchema },
  settings: { file: "settings.json", schema: settingsSchema },
  "managed-settings": { file: "managed-settings.json", schema: managedSettingsSchema },
} as const;
export type PublishedSchemaName = keyof typeof publishedSchemas;

/** JSON Schema (draft 2020-12) generated from the zod schema: never a hand-synced copy. */
export function jsonSchemaFor(name: PublishedSchemaName): Record<string, unknown> {
  const { schema, file } = publishedSchemas[name];
  return {
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    title: file,
  };
}
