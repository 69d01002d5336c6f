import { createLspTool } from "../lsp/lsp-tool.js";
import { startMcpServers } from "../mcp/start-mcp-servers.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { offeredTools } from "../session/offered-tools.js";
import { pluginContextCosts, type PluginContextCost } from "./plugin-context-cost.js";

/** One plugin's context price, measured for real: its MCP servers are started to read their tool schemas (language servers are not: the LSP tool's schema is fixed). */
export async function measurePluginContext(plugin: LoadedPlugin, env: SessionEnvironment): Promise<PluginContextCost> {
  const mcp = await startMcpServers([plugin], env);
  const lsp = createLspTool([plugin], env);
  try {
    const tools = [...offeredTools(mcp.tools), ...(lsp ? [{ ...lsp.tool, pluginId: plugin.id }] : [])];
    return pluginContextCosts([plugin], tools, env.projectDir)[0]!;
  } finally {
    await Promise.all([mcp.close(), lsp?.close()]);
  }
}
