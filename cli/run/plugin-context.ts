import type { PluginContextCost } from "../../host/context/plugin-context-cost.js";
import type { StateContext } from "../../installer/state-context.js";
import { loadSessionPlugins } from "./load-session-plugins.js";

/** `agent plugin details <id> --context`: the installed plugin's per-request token cost, its MCP servers started in the sandbox to read their tools. */
export async function pluginContext(state: StateContext, id: string, warn: (line: string) => void): Promise<PluginContextCost> {
  const [{ measurePluginContext }, { plugins, userSettings }] = await Promise.all([import("../../host/context/measure-plugin-context.js"), loadSessionPlugins(state, id)]);
  return measurePluginContext(plugins[0]!, { projectDir: state.cwd, sandbox: userSettings.sandbox === "off" ? "off" : "auto", hiddenPaths: [state.paths.home], onWarning: warn });
}
