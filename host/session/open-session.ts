import { randomUUID } from "node:crypto";
import type { HookRunner } from "../engine/engine-session.js";
import { hookInput, runSessionStartHooks } from "../engine/hook-input.js";
import { runHooks, type HookEventName } from "../hooks/run-hooks.js";
import type { McpToolCaller } from "../hooks/run-hook-mcp-tool.js";
import type { ModelAsker } from "../hooks/run-hook-prompt.js";
import { noModelClient, type MessagesApi } from "../engine/model-client.js";
import { createLspTool } from "../lsp/lsp-tool.js";
import { mcpToolName } from "../mcp/mcp-tool-name.js";
import { startMcpServers } from "../mcp/start-mcp-servers.js";
import type { HostTool } from "../tools/host-tool.js";
import { buildSession, type BuiltSession, type SessionOptions } from "./build-session.js";

export interface OpenSession extends BuiltSession {
  /** the SessionStart hooks' outcome, when openSession was asked to start them (pass it to runSession) */
  sessionStart?: ReturnType<HookRunner>;
  /** runs the SessionEnd hooks (matched on `reason`; they cannot block) once a session that ran ends */
  end(reason?: string): Promise<void>;
  /** stops the plugins' MCP and language servers */
  close(): Promise<void>;
}

/**
 * Starts what the enabled plugins run (MCP servers now; language servers on the LSP tool's first use;
 * hooks per event) and builds the session around them. With `startup`, the SessionStart hooks run while
 * the MCP servers start (an mcp_tool hook among them waits for its server); their outcome is
 * `sessionStart`. The model client may still be loading (`client` a promise): prompt hooks wait for it,
 * and the session is returned with it.
 */
export async function openSession(
  options: Omit<SessionOptions, "pluginTools" | "hooks" | "client"> & { client?: MessagesApi | Promise<MessagesApi | undefined> },
  startup?: { signal: AbortSignal },
): Promise<OpenSession> {
  const sessionId = options.sessionId ?? randomUUID();
  const mcpStarting = startMcpServers(options.plugins, options.env);
  const { client: clientOrLoading, ...sessionOptions } = options;
  const clientReady = Promise.resolve(clientOrLoading);
  clientReady.catch(() => {}); // the await below reports a failed load
  // prompt hooks ask the session's model (the handler's `model` if it names one)
  const askModel: ModelAsker = async ({ model, system, prompt }, signal) => {
    const client = await clientReady;
    if (!client) throw noModelClient();
    const message = await client.messages.stream({ model: model ?? options.model, max_tokens: 1024, system, messages: [{ role: "user", content: prompt }] }, { signal }).finalMessage();
    return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  };
  const withHooks = options.plugins.filter((p) => p.inventory.hooks.length > 0);
  // mcp_tool hooks call their own plugin's servers over the session's connections
  const callMcpTool: McpToolCaller = async (plugin, server, tool, input, signal) => {
    const name = mcpToolName(plugin.name, server, tool);
    const found = (await mcpStarting).tools.find((t) => t.name === name && t.pluginId === plugin.id);
    if (!found) return { content: `${plugin.id} has no MCP tool "${tool}" on a server "${server}"`, isError: true };
    return found.call(input, { signal });
  };
  const hooks: HookRunner = (event, input, runOptions) =>
    withHooks.length ? runHooks(withHooks, options.env, event as HookEventName, input, { ...runOptions, callMcpTool, askModel }) : Promise.resolve({ additionalContext: [], messages: [] });
  const sessionStart = startup ? runSessionStartHooks(hooks, { sessionId, projectDir: options.env.projectDir, permissions: options.permissions }, startup.signal) : undefined;
  sessionStart?.catch(() => {}); // awaited by runSession; a caller that fails before running must not crash the host
  const [mcp, client] = await Promise.all([mcpStarting, clientReady]);
  const lsp = createLspTool(options.plugins, options.env);
  const lspPlugins = options.plugins.filter((p) => p.inventory.lspServers.length > 0);
  const pluginTools: HostTool[] = [...mcp.tools];
  if (lsp) pluginTools.push(lsp.tool.pluginId || lspPlugins.length !== 1 ? lsp.tool : { ...lsp.tool, pluginId: lspPlugins[0]!.id, call: lsp.tool.call.bind(lsp.tool) });
  const built = buildSession({ ...sessionOptions, ...(client ? { client } : {}), sessionId, pluginTools, hooks });
  return {
    ...built,
    ...(sessionStart ? { sessionStart } : {}),
    end: async (reason = "other") => {
      await hooks("SessionEnd", hookInput(built.session, "SessionEnd", { reason }), { signal: new AbortController().signal, matchQuery: reason });
    },
    close: async () => {
      await Promise.all([mcp.close(), lsp?.close()]);
    },
  };
}
