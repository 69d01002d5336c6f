import { AgentError } from "../../schemas/errors.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import type { HostTool } from "../tools/host-tool.js";
import { openMcpServer, type OpenServer } from "./open-mcp-server.js";

export interface McpSession {
  tools: HostTool[];
  close(): Promise<void>;
}

/**
 * Starts every MCP server of the enabled plugins in parallel: stdio servers inside the plugin sandbox,
 * http/sse servers over the network. A server that fails to start costs a warning, not the session.
 * Tools are named mcp__plugin_<plugin>_<server>__<tool>; the built-in core-tools plugin's tools also
 * answer to their bare names (Read, Write, Edit, Bash, Glob, Grep). Servers whose tool list is
 * remembered from an earlier session do not hold up the start (see openMcpServer).
 */
export async function startMcpServers(plugins: LoadedPlugin[], env: SessionEnvironment): Promise<McpSession> {
  const warn = env.onWarning ?? ((line: string) => process.stderr.write(`agent: warning: ${line}\n`));
  const jobs = plugins.flatMap((plugin) => plugin.inventory.mcpServers.map((server) => ({ plugin, server })));
  const results = await Promise.allSettled(jobs.map(({ plugin, server }) => openMcpServer(plugin, env, server, warn)));

  const opened: OpenServer[] = [];
  const tools: HostTool[] = [];
  const seen = new Set<string>();
  results.forEach((result, i) => {
    const { plugin, server } = jobs[i]!;
    if (result.status === "rejected") {
      const error = result.reason;
      warn(error instanceof AgentError ? error.message : `${plugin.id}: MCP server "${server.name}" failed: ${(error as Error).message}`);
      return;
    }
    opened.push(result.value);
    for (const tool of result.value.tools) {
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
      await Promise.allSettled(opened.map((o) => o.close()));
    },
  };
}
