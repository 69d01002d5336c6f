/**
 * A tool the model can call. Every tool comes from a plugin (an MCP server's tool, the LSP tool) or
 * from the small host core (Skill, Agent). Names follow Claude Code: mcp__plugin_<plugin>_<server>__<tool>;
 * the core-tools plugin's tools are also exposed by their bare names (Read, Write, Edit, Bash, Glob, Grep).
 */
export interface HostTool {
  name: string;
  description: string;
  /** JSON Schema of the input object */
  inputSchema: Record<string, unknown>;
  /** the plugin that provides it ("name@marketplace"); absent for host-core tools */
  pluginId?: string;
  call(input: Record<string, unknown>, ctx: ToolCallContext): Promise<ToolResult>;
}

export interface ToolCallContext {
  signal: AbortSignal;
}

export interface ToolResult {
  /** text given back to the model as the tool_result */
  content: string;
  isError?: boolean;
}
