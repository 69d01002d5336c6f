import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { AgentError } from "../../schemas/errors.js";
import type { NamedConfig } from "../../registry/plugin/index.js";
import type { McpServer } from "../../schemas/mcp.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import type { HostTool } from "../tools/host-tool.js";
import type { ConnectedServer } from "./connect-mcp-server.js";
import { listTools, mcpHostTools } from "./mcp-host-tools.js";
import { coreToolNames, mcpToolName, providesBareCoreTools } from "./mcp-tool-name.js";
import { readToolCache, sameToolLists, toolCacheKey, writeToolCache, type ListedTool } from "./tool-list-cache.js";

export interface OpenServer {
  tools: HostTool[];
  close(): Promise<void>;
}

/**
 * One plugin MCP server's tools. With a remembered tool list (same plugin version, config and
 * options as last time) the tools are offered at once and the server starts on its first call
 * (or right away, in the background, with `alwaysLoad`), so a session does not pay for servers it
 * never uses; otherwise this waits for the server and remembers its list.
 */
export async function openMcpServer(plugin: LoadedPlugin, env: SessionEnvironment, server: NamedConfig<McpServer>, warn: (message: string) => void): Promise<OpenServer> {
  const key = toolCacheKey(plugin, server.config);
  const cached = key ? readToolCache(plugin, server.name, key) : undefined;
  const closing = new AbortController();
  let starting: Promise<{ connection: ConnectedServer; listed: ListedTool[] }> | undefined;
  const report = (error: unknown) => closing.signal.aborted || warn(error instanceof AgentError ? error.message : `${plugin.id}: MCP server "${server.name}" failed: ${(error as Error).message}`);
  const start = () => {
    if (starting) return starting;
    // the MCP SDK loads with the first server that starts: a session of remembered tool lists never needs it
    starting = import("./connect-mcp-server.js").then(({ connectMcpServer }) => connectMcpServer(plugin, env, server.name, server.config, closing.signal)).then(async (connection) => {
      try {
        const listed = await listTools(connection.client);
        if (key && !(cached && sameToolLists(cached, listed))) writeToolCache(plugin, server.name, key, listed);
        return { connection, listed };
      } catch (error) {
        await connection.close();
        throw error;
      }
    });
    if (cached) starting.catch(report); // without a remembered list the caller reports the failure
    return starting;
  };

  const bare = providesBareCoreTools(plugin);
  const nameOf = (tool: string) => [mcpToolName(plugin.name, server.name, tool), ...(bare && (coreToolNames as readonly string[]).includes(tool) ? [tool] : [])];
  const timeout = typeof server.config.timeout === "number" ? server.config.timeout : undefined;
  const client = (): Promise<Client> => start().then((s) => s.connection.client);
  const tools = (list: ListedTool[]) => mcpHostTools(list, client, plugin.id, nameOf, timeout);
  const close = async () => {
    closing.abort(); // a server still starting is stopped, not waited for
    await (await starting?.catch(() => undefined))?.connection.close();
  };

  if (!cached) {
    const { listed } = await start();
    return { tools: tools(listed), close };
  }
  if (server.config.alwaysLoad === true) void start().catch(() => {});
  return { tools: tools(cached), close };
}
