import type { PluginContextCost } from "../../host/context/plugin-context-cost.js";
import type { StateContext } from "../../installer/state-context.js";
import { loadSessionPlugins } from "./load-session-plugins.js";

/** `agent plugin details <id> --context`: the installed plugin's per-request token cost, its MCP servers started in the sandbox to read their tools. */
export async function pluginContext(state: StateContext, id: string, warn: (line: string) => void): Promise<PluginContextCost> {
  const [{ measurePluginContext }, { decideSandboxMode }, { plugins, userSettings, projectSettings }] = await Promise.all([
    import("../../host/context/measure-plugin-context.js"),
    import("../../host/sandbox/sandbox-mode.js"),
    loadSessionPlugins(state, id),
  ]);
  const sandbox = decideSandboxMode({ userSettings, projectSettings }).mode;
  return measurePluginContext(plugins[0]!, { projectDir: state.cwd, sandbox, hiddenPaths: [state.paths.home], onWarning: warn });
}
