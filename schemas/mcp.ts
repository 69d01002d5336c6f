import { z } from "zod";

/** MCP server configs (reference §10.2). */
export const mcpStdioServerSchema = z.looseObject({
  type: z.literal("stdio").optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  timeout: z.number().positive().optional(),
  alwaysLoad: z.boolean().optional(),
});

const remoteFields = {
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  headersHelper: z.string().optional(),
  timeout: z.number().positive().optional(),
  alwaysLoad: z.boolean().optional(),
};

export const mcpRemoteServerSchema = z.looseObject({
  type: z.enum(["http", "sse"]),
  ...remoteFields,
  oauth: z
    .looseObject({
      clientId: z.string().optional(),
      callbackPort: z.number().int().optional(),
      authServerMetadataUrl: z.string().startsWith("https://").optional(),
      scopes: z.array(z.string()).optional(),
    })
    .optional(),
  tools: z.array(z.string()).optional(),
});

export const mcpWsServerSchema = z.looseObject({ type: z.literal("ws"), ...remoteFields });
export const mcpSdkServerSchema = z.looseObject({ type: z.literal("sdk"), name: z.string() });

export const mcpServerSchema = z.union([mcpStdioServerSchema, mcpRemoteServerSchema, mcpWsServerSchema, mcpSdkServerSchema]);
export type McpServer = z.infer<typeof mcpServerSchema>;
export type McpStdioServer = z.infer<typeof mcpStdioServerSchema>;

export const mcpServersMapSchema = z.record(z.string().min(1), mcpServerSchema);
export type McpServersMap = z.infer<typeof mcpServersMapSchema>;

/** .mcp.json */
export const mcpFileSchema = z.looseObject({ mcpServers: mcpServersMapSchema });
export type McpFile = z.infer<typeof mcpFileSchema>;
