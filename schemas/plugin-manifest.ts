import { z } from "zod";
import { safeParseFast } from "./fast-parse.js";
import { manifestSchemaFor } from "./parsers.js";
import { componentPathSchema, jsonPathSchema, markdownPathSchema, pathOrPathsSchema } from "./component-path.js";
import { dependencySpecSchema } from "./dependency-schema.js";
import { hooksMapSchema } from "./hooks.js";
import { lspServerSchema } from "./lsp.js";
import { mcpServerSchema } from "./mcp.js";
import { pluginNameSchema } from "./name-schemas.js";
import { hasSourceOrContent, hasUniqueNames, isMcpBundleUrl, isMcpConfigPath } from "./rules.js";
import { permissionsSchema } from "./permissions.js";
import { userConfigSchema } from "./user-config.js";

export const authorSchema = z.looseObject({
  name: z.string().min(1, "author.name cannot be empty"),
  email: z.string().optional(),
  url: z.string().optional(),
});

/** commands: "./x", ["./x.md", …], or {name: {source | content, description?, argumentHint?, model?, allowedTools?}} */
export const commandEntrySchema = z
  .looseObject({
    source: markdownPathSchema.optional(),
    content: z.string().optional(),
    description: z.string().optional(),
    argumentHint: z.string().optional(),
    model: z.string().optional(),
    allowedTools: z.array(z.string()).optional(),
  })
  .refine(hasSourceOrContent, "a command needs exactly one of source or content");
export const commandsFieldSchema = z.union([pathOrPathsSchema, z.record(z.string().min(1), commandEntrySchema)]);

const mcpReferenceSchema = z.union([
  componentPathSchema.refine(isMcpConfigPath, 'an MCP config path must end with ".json", ".mcpb" or ".dxt"'),
  z.string().startsWith("https://").refine(isMcpBundleUrl, "an MCP bundle URL must end with .mcpb or .dxt"),
  z.record(z.string().min(1), mcpServerSchema),
]);
export const mcpServersFieldSchema = z.union([mcpReferenceSchema, z.array(mcpReferenceSchema)]);

const lspReferenceSchema = z.union([jsonPathSchema, z.record(z.string().min(1), lspServerSchema)]);
export const lspServersFieldSchema = z.union([lspReferenceSchema, z.array(lspReferenceSchema)]);

const hooksReferenceSchema = z.union([jsonPathSchema, hooksMapSchema]);
export const hooksFieldSchema = z.union([hooksReferenceSchema, z.array(hooksReferenceSchema)]);

export const monitorSchema = z.strictObject({
  name: z.string().min(1),
  command: z.string().min(1),
  description: z.string(),
  when: z.union([z.literal("always"), z.string().regex(/^on-skill-invoke:.+$/)]).optional(),
});
export const monitorsFieldSchema = z.union([jsonPathSchema, z.array(monitorSchema)]).refine(hasUniqueNames, "Monitor names must be unique within a plugin");

export const channelSchema = z.strictObject({
  server: z.string().min(1),
  displayName: z.string().optional(),
  userConfig: userConfigSchema.optional(),
});

/** The component fields, shared by plugin.json and marketplace entries. */
export const pluginComponentsShape = {
  commands: commandsFieldSchema.optional(),
  agents: z.union([markdownPathSchema, z.array(markdownPathSchema)]).optional(),
  skills: pathOrPathsSchema.optional(),
  hooks: hooksFieldSchema.optional(),
  mcpServers: mcpServersFieldSchema.optional(),
  lspServers: lspServersFieldSchema.optional(),
  outputStyles: pathOrPathsSchema.optional(),
  experimental: z
    .looseObject({
      themes: pathOrPathsSchema.optional(),
      monitors: monitorsFieldSchema.optional(),
      evals: z.union([z.string(), z.array(z.string())]).optional(),
    })
    .optional(),
  workflows: pathOrPathsSchema.optional(),
  /** deprecated top-level forms; still loaded, validate warns */
  themes: pathOrPathsSchema.optional(),
  monitors: monitorsFieldSchema.optional(),
};

/** The metadata fields, shared by plugin.json and marketplace entries. */
export const pluginMetadataShape = {
  $schema: z.string().optional(),
  displayName: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  author: authorSchema.optional(),
  homepage: z.string().url("Invalid URL").optional(),
  repository: z.union([z.string(), z.looseObject({ type: z.string().optional(), url: z.string() })]).optional(),
  license: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  defaultEnabled: z.boolean().optional(),
  dependencies: z.array(dependencySpecSchema).optional(),
  userConfig: userConfigSchema.optional(),
  channels: z.array(channelSchema).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  binaries: z
    .record(z.string().regex(/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9_-])?$/, "binary names are lowercase [a-z0-9._-]"), z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters") }))
    .optional(),
  /** agent extension: what the plugin's processes may touch (Claude Code ignores it) */
  permissions: permissionsSchema.optional(),
};

/** plugin.json's fields, each checked on its own: pluginManifestSchema without its rule across fields. */
export const pluginManifestFieldsSchema = z.looseObject({
  name: pluginNameSchema,
  ...pluginMetadataShape,
  ...pluginComponentsShape,
});

/**
 * .claude-plugin/plugin.json (reference §2.2). Unknown keys are kept and tolerated. The rule across
 * fields looks at `channels` only: a manifest without it parses exactly as pluginManifestFieldsSchema.
 */
export const pluginManifestSchema = pluginManifestFieldsSchema.superRefine((m, ctx) => {
  const servers = m.mcpServers;
  if (!m.channels?.length) return;
  const names = new Set<string>();
  for (const ref of Array.isArray(servers) ? servers : servers ? [servers] : []) if (typeof ref === "object") Object.keys(ref).forEach((n) => names.add(n));
  m.channels.forEach((c, i) => {
    if (!names.has(c.server)) ctx.addIssue({ code: "custom", path: ["channels", i, "server"], message: `channel server "${c.server}" is not a key of mcpServers` });
  });
});
export type PluginManifest = z.infer<typeof pluginManifestSchema>;

/**
 * pluginManifestSchema.safeParse, the quick way: without `channels` the rule across fields has nothing
 * to check, so the fields decide alone (safeParseFast); with it, zod parses the whole manifest.
 */
export function parsePluginManifest(raw: unknown): z.ZodSafeParseResult<PluginManifest> {
  return manifestSchemaFor(raw) === "pluginManifest" ? pluginManifestSchema.safeParse(raw) : safeParseFast(pluginManifestFieldsSchema, raw);
}

export const pluginManifestKeys: readonly string[] = ["name", ...Object.keys(pluginMetadataShape), ...Object.keys(pluginComponentsShape)];

/** Component keys whose presence replaces the default folder (reference §2.3). */
export const replacingComponentKeys = { commands: "commands/", agents: "agents/", outputStyles: "output-styles/" } as const;
