import { AgentError } from "../../schemas/errors.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import type { HostTool } from "../tools/host-tool.js";
import { connectMcpServer, type ConnectedServer } from "./connect-mcp-server.js";
import { mcpHostTools } from "./mcp-host-tools.js";
import { coreToolNames, mcpToolName, providesBareCoreTools } from "./mcp-tool-name.js";

export interface McpSession {
  tools: HostTool[];
  close(): Promise<void>;
}

/**
 * Starts every MCP server of the enabled plugins in parallel: stdio servers inside the plugin sandbox,
 * http/sse servers over the network. A server that fails to start costs a warning, not the session.
 * Tools are named mcp__plugin_<plugin>_<server>__<tool>; the built-in core-tools plugin's tools also
 * answer to their bare names (Read, Write, Edit, Bash, Glob, Grep).
 */
export async function startMcpServers(plugins: LoadedPlugin[], env: SessionEnvironment): Promise<McpSession> {
  const warn = env.onWarning ?? ((line: string) => process.stderr.write(`agent: warning: ${line}\n`));
  const jobs = plugins.flatMap((plugin) => plugin.inventory.mcpServers.map((server) => ({ plugin, server })));
  const connected: ConnectedServer[] = [];

  const results = await Promise.allSettled(
    jobs.map(async ({ plugin, server }) => {
      const connection = await connectMcpServer(plugin, env, server.name, server.config);
      connected.push(connection);
      const bare = providesBareCoreTools(plugin);
      const nameOf = (tool: string) => [
        mcpToolName(plugin.name, server.name, tool),
        ...(bare && (coreToolNames as readonly string[]).includes(tool) ? [tool] : []),
      ];
      const timeout = typeof server.config.timeout === "number" ? server.config.timeout : undefined;
      return mcpHostTools(connection.client, plugin.id, nameOf, timeout);
    }),
  );

  const tools: HostTool[] = [];
  const seen = new Set<string>();
  results.forEach((result, i) => {
    const { plugin, server } = jobs[i]!;
    if (result.status === "rejected") {
      const error = result.reason;
      warn(error instanceof AgentError ? error.message : `${plugin.id}: MCP server "${server.name}" failed: ${(error as Error).message}`);
      return;
    }
    for (const tool of result.value) {
      if (seen.has(tool.name)) {
        warn(`${plugin.id}: MCP tool ${tool.name} is already provided by another server; the first one is used`);
        continue;
      }
      seen.add(tool.name);
      tools.push(tool);
    }
  });

  return {
    tools,
    async close() {
      await Promise.allSettled(connected.map((c) => c.close()));
    },
  };
}
