import { startMcpServers } from "../mcp/start-mcp-servers.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { offeredTools } from "../session/offered-tools.js";
import { pluginContextCosts, type PluginContextCost } from "./plugin-context-cost.js";

/** One plugin's context price, measured for real: its MCP servers are started to read their tool schemas. */
export async function measurePluginContext(plugin: LoadedPlugin, env: SessionEnvironment): Promise<PluginContextCost> {
  const mcp = await startMcpServers([plugin], env);
  try {
    return pluginContextCosts([plugin], offeredTools(mcp.tools), env.projectDir)[0]!;
  } finally {
    await mcp.close();
  }
}
