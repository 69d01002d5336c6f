import type { LoadedPlugin } from "../session/loaded-plugin.js";
import type { McpToolHandler } from "./collect-hook-handlers.js";
import type { HookRun } from "./run-hook-command.js";
import { withDeadline } from "./with-deadline.js";

/** Calls one tool of one of a plugin's own MCP servers: its text and whether it failed. */
export type McpToolCaller = (plugin: LoadedPlugin, server: string, tool: string, input: Record<string, unknown>, signal: AbortSignal) => Promise<{ content: string; isError?: boolean }>;

/**
 * An `mcp_tool` hook: calls a tool of the hook's own plugin's MCP server over the connection the session
 * already has (no process is started), with `${tool_input.x}` in its input replaced from the event; the
 * tool's text is read like a command hook's stdout (a failed call like a non-zero exit). The server is the
 * plugin's server key, or `plugin:<plugin>:<server>`; another plugin's servers are out of reach, so a hook
 * can never call past the permissions of a tool that is not its plugin's.
 */
export async function runHookMcpTool(
  plugin: LoadedPlugin,
  handler: McpToolHandler,
  event: Record<string, unknown>,
  call: McpToolCaller,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HookRun> {
  const server = handler.server.startsWith(`plugin:${plugin.name}:`) ? handler.server.slice(`plugin:${plugin.name}:`.length) : handler.server;
  const toolInput = typeof event.tool_input === "object" && event.tool_input !== null ? (event.tool_input as Record<string, unknown>) : {};
  const input = fill(handler.input ?? {}, toolInput) as Record<string, unknown>;
  const result = await withDeadline((stop) => call(plugin, server, handler.tool, input, stop), timeoutMs, signal);
  if (!result.ok) return { exitCode: null, stdout: "", stderr: result.error instanceof Error ? result.error.message : String(result.error), timedOut: result.timedOut, aborted: result.aborted };
  const { content, isError } = result.value;
  return { exitCode: isError ? 1 : 0, stdout: isError ? "" : content, stderr: isError ? content : "", timedOut: false, aborted: false };
}

const placeholder = /\$\{tool_input\.([A-Za-z0-9_.-]+)\}/g;

/** Replaces ${tool_input.a.b} in every string of `value`; a string that is only one placeholder takes the value as it is. */
function fill(value: unknown, toolInput: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{tool_input\.([A-Za-z0-9_.-]+)\}$/.exec(value);
    if (whole) return lookup(toolInput, whole[1]!) ?? "";
    return value.replace(placeholder, (_, path: string) => {
      const found = lookup(toolInput, path);
      return found === undefined ? "" : typeof found === "string" ? found : JSON.stringify(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, toolInput));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, toolInput)]));
  return value;
}

function lookup(from: Record<string, unknown>, path: string): unknown {
  let at: unknown = from;
  for (const key of path.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
