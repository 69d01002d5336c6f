import { randomUUID } from "node:crypto";
import { AgentError } from "../../schemas/errors.js";
import type { HookEvent } from "../../schemas/hooks.js";
import { substituteVariables } from "../plugin-env/substitute-variables.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { collectHookHandlers, type CommandHandler, type HttpHandler, type McpToolHandler, type PromptHandler, type SelectedHook } from "./collect-hook-handlers.js";
import { combineOutcomes, emptyOutcome, interpretHookRun, type HookOutcome } from "./hook-outcome.js";
import { runHookCommand } from "./run-hook-command.js";
import { runHookHttp } from "./run-hook-http.js";
import { runHookMcpTool, type McpToolCaller } from "./run-hook-mcp-tool.js";
import { runHookPrompt, type ModelAsker } from "./run-hook-prompt.js";

export type HookEventName = HookEvent;
export type { HookOutcome, HookDecision } from "./hook-outcome.js";

export const defaultHookTimeoutSeconds = 60;
/** a prompt hook waits for the model this long unless its `timeout` says otherwise (Claude Code's default) */
export const defaultPromptHookTimeoutSeconds = 30;
const fallbackSessionId = randomUUID();

/**
 * Runs every plugin hook an event selects, in parallel (commands in their plugin's sandbox, http hooks
 * within the plugin's network permission, mcp_tool hooks on their plugin's own MCP servers, prompt hooks
 * by asking the session's model), and folds their
 * results into one outcome (Claude Code's contract, reference §10.1). `${user_config.X}` in a command
 * takes the value or its default; a command naming an option with neither is skipped with a message.
 */
export async function runHooks(
  plugins: LoadedPlugin[],
  env: SessionEnvironment,
  event: HookEventName,
  input: Record<string, unknown>,
  options: { signal: AbortSignal; matchQuery?: string; callMcpTool?: McpToolCaller; askModel?: ModelAsker },
): Promise<HookOutcome> {
  const messages: string[] = [];
  const warn = (message: string) => {
    messages.push(message);
    env.onWarning?.(message);
  };
  const selected = collectHookHandlers(plugins, event, {
    matchQuery: options.matchQuery,
    toolName: typeof input.tool_name === "string" ? input.tool_name : options.matchQuery,
    toolInput: typeof input.tool_input === "object" && input.tool_input !== null ? (input.tool_input as Record<string, unknown>) : undefined,
    projectDir: env.projectDir,
    warn,
  });
  if (selected.length === 0) return { ...emptyOutcome(), messages };
  const stdin = JSON.stringify({ session_id: fallbackSessionId, transcript_path: "", cwd: env.projectDir, ...input, hook_event_name: event });
  const outcomes = await Promise.all(
    selected.map(({ plugin, handler }) =>
      handler.type === "mcp_tool"
        ? runMcpToolHook({ plugin, handler }, handler, event, input, options, warn)
        : handler.type === "prompt"
          ? runPromptHook({ plugin, handler }, handler, event, stdin, options, warn)
          : runOne({ plugin, handler }, env, event, stdin, options.signal, warn),
    ),
  );
  const combined = combineOutcomes(outcomes);
  combined.messages.unshift(...messages);
  return combined;
}

async function runMcpToolHook(
  hook: SelectedHook,
  handler: McpToolHandler,
  event: HookEventName,
  input: Record<string, unknown>,
  options: { signal: AbortSignal; callMcpTool?: McpToolCaller },
  warn: (m: string) => void,
): Promise<HookOutcome> {
  const label = `${hook.plugin.name}: mcp_tool ${handler.server} ${handler.tool}`;
  if (!options.callMcpTool) {
    warn(`${event} hook ${label}: no MCP servers in this session; the hook was skipped`);
    return emptyOutcome();
  }
  const timeoutSeconds = handler.timeout ?? defaultHookTimeoutSeconds;
  const run = await runHookMcpTool(hook.plugin, handler, input, options.callMcpTool, timeoutSeconds * 1000, options.signal);
  return interpretHookRun(event, label, run, timeoutSeconds);
}

async function runPromptHook(
  hook: SelectedHook,
  handler: PromptHandler,
  event: HookEventName,
  stdin: string,
  options: { signal: AbortSignal; askModel?: ModelAsker },
  warn: (m: string) => void,
): Promise<HookOutcome> {
  const label = `${hook.plugin.name}: prompt "${handler.prompt.length > 60 ? `${handler.prompt.slice(0, 57)}...` : handler.prompt}"`;
  if (!options.askModel) {
    warn(`${event} hook ${label}: no model in this session; the hook was skipped`);
    return emptyOutcome();
  }
  const timeoutSeconds = handler.timeout ?? defaultPromptHookTimeoutSeconds;
  const run = await runHookPrompt(handler, stdin, options.askModel, timeoutSeconds * 1000, options.signal);
  // no process ran: a failure is the model's, not an exit code
  if (run.exitCode === 1 && !run.timedOut && !run.aborted) return { ...emptyOutcome(), messages: [`${event} hook ${label} failed: ${run.stderr}`] };
  return interpretHookRun(event, label, run, timeoutSeconds);
}

async function runOne(
  hook: SelectedHook & { handler: CommandHandler | HttpHandler },
  env: SessionEnvironment,
  event: HookEventName,
  stdin: string,
  signal: AbortSignal,
  warn: (m: string) => void,
): Promise<HookOutcome> {
  const { plugin, handler } = hook;
  const what = `${event} hook`;
  if (handler.type === "http") {
    const timeoutSeconds = handler.timeout ?? defaultHookTimeoutSeconds;
    try {
      const run = await runHookHttp(plugin, env, handler, stdin, timeoutSeconds * 1000, signal);
      const label = `${plugin.name}: POST ${handler.url}`;
      if (run.exitCode === 1) return { ...emptyOutcome(), messages: [`${what} ${label} failed: ${run.stderr}`] };
      return interpretHookRun(event, label, run, timeoutSeconds);
    } catch (error) {
      warn(`${error instanceof AgentError ? error.message : String(error)}; the hook was skipped`);
      return emptyOutcome();
    }
  }
  let command: { command: string; args?: string[]; shell?: "bash" | "powershell" };
  try {
    const sub = (text: string) => substituteVariables(text, plugin, env, { what });
    command = { command: sub(handler.command), ...(handler.args ? { args: handler.args.map(sub) } : {}), ...(handler.shell ? { shell: handler.shell } : {}) };
  } catch (error) {
    warn(`${error instanceof AgentError ? error.message : String(error)}; the hook was skipped`);
    return emptyOutcome();
  }
  const timeoutSeconds = handler.timeout ?? defaultHookTimeoutSeconds;
  const label = `${plugin.name}: ${handler.command}`;
  const running = runHookCommand(plugin, env, command, stdin, timeoutSeconds * 1000, signal).then(
    (run) => interpretHookRun(event, label, run, timeoutSeconds),
    (error: unknown) => {
      const message = `${what} ${label} could not start: ${error instanceof Error ? error.message : String(error)}`;
      env.onWarning?.(message);
      return { ...emptyOutcome(), messages: [message] };
    },
  );
  if (!handler.async) return running;
  // async hooks run in the background: they cannot decide anything; what they report becomes a warning
  void running.then((outcome) => outcome.messages.forEach((m) => env.onWarning?.(m)));
  return emptyOutcome();
}
