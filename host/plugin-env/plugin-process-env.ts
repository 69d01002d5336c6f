import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { configValueText, pluginVariables } from "./substitute-variables.js";

/**
 * The environment every process of a plugin gets (hooks, MCP and LSP servers): the plugin variables,
 * CLAUDE_PLUGIN_OPTION_<KEY> for each userConfig value (a sensitive one only when the plugin's
 * approved `permissions.secrets` lists it), and the host variables named in `permissions.env`.
 */
export function pluginProcessEnv(plugin: LoadedPlugin, env: SessionEnvironment, hostEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { ...pluginVariables(plugin, env) };
  for (const name of plugin.permissions?.env ?? []) {
    const value = hostEnv[name];
    if (value !== undefined) out[name] = value;
  }
  const allowedSecrets = new Set(plugin.permissions?.secrets ?? []);
  for (const [key, value] of Object.entries(plugin.config)) {
    const sensitive = plugin.manifest?.userConfig?.[key]?.sensitive === true;
    if (sensitive && !allowedSecrets.has(key)) continue;
    out[`CLAUDE_PLUGIN_OPTION_${key.toUpperCase()}`] = configValueText(value);
  }
  return out;
}
