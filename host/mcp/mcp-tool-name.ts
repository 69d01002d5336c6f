import type { LoadedPlugin } from "../session/loaded-plugin.js";

/** Claude Code's name for a plugin's MCP tool: mcp__plugin_<plugin>_<server>__<tool>, other characters as "_". */
export function mcpToolName(pluginName: string, server: string, tool: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");
  return `mcp__plugin_${clean(pluginName)}_${clean(server)}__${clean(tool)}`;
}

export const coreToolNames = ["Read", "Write", "Edit", "Bash", "Glob", "Grep"] as const;

/** Only the built-in core-tools plugin may also take the bare names (a look-alike from another marketplace may not). */
export function providesBareCoreTools(plugin: LoadedPlugin): boolean {
  return plugin.name === "core-tools" && plugin.marketplace === "agent-builtin";
}
