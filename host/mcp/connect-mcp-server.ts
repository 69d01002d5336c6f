import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { fetchThroughProxy } from "../../registry/sources/http-request.js";
import { AgentError } from "../../schemas/errors.js";
import type { McpServer, McpStdioServer } from "../../schemas/mcp.js";
import { pluginProcessSpec } from "../plugin-env/plugin-process-spec-for.js";
import { stderrTail, stopPluginProcess } from "../plugin-env/stop-plugin-process.js";
import { substituteRecord, substituteVariables } from "../plugin-env/substitute-variables.js";
import { spawnPluginProcess } from "../sandbox/spawn-plugin-process.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { ChildProcessTransport } from "./child-process-transport.js";

export const connectTimeoutMs = 30_000;

export interface ConnectedServer {
  client: Client;
  close(): Promise<void>;
}

/** Starts (stdio, in the sandbox) or reaches (http, sse) one plugin MCP server and completes the MCP handshake. */
export async function connectMcpServer(plugin: LoadedPlugin, env: SessionEnvironment, name: string, config: McpServer, signal?: AbortSignal): Promise<ConnectedServer> {
  const what = `MCP server "${name}"`;
  const sub = (text: string) => substituteVariables(text, plugin, env, { what, hostEnv: process.env });
  const client = new Client({ name: "agent", version: "1.0.0" });

  if (config.type === undefined || config.type === "stdio") {
    const stdio = config as McpStdioServer;
    const spec = pluginProcessSpec(plugin, env, {
      command: sub(stdio.command),
      args: (stdio.args ?? []).map(sub),
      env: substituteRecord(stdio.env, plugin, env, { what, hostEnv: process.env }),
    });
    const child = await spawnPluginProcess(spec);
    const stderr = stderrTail(child);
    const abandon = () => void stopPluginProcess(child, 0);
    if (signal?.aborted) abandon();
    signal?.addEventListener("abort", abandon, { once: true });
    try {
      await client.connect(new ChildProcessTransport(child), { timeout: connectTimeoutMs });
    } catch (error) {
      await stopPluginProcess(child, 0);
      throw new AgentError("E_PLUGIN_PROCESS", `${plugin.id}: ${what} did not start: ${(error as Error).message}${stderr() ? `\n${stderr()}` : ""}`, {
        hint: `Check the server's command in ${plugin.root}; \`agent plugin validate ${plugin.root}\` checks its config.`,
        details: { plugin: plugin.id, server: name, command: spec.command, args: spec.args },
      });
    }
    signal?.removeEventListener("abort", abandon);
    return { client, close: () => client.close() };
  }

  if (config.type !== "http" && config.type !== "sse")
    throw new AgentError("E_UNSUPPORTED_SOURCE", `${plugin.id}: ${what} has type "${config.type}", which agent does not connect to`, {
      hint: 'Use a "stdio", "http" or "sse" server.',
      details: { plugin: plugin.id, server: name, type: config.type },
    });
  const url = new URL(sub(String(config.url)));
  const requestInit = { headers: substituteRecord(config.headers as Record<string, string> | undefined, plugin, env, { what, hostEnv: process.env }) };
  // through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY lists the host, as every request agent makes
  const options = { requestInit, fetch: fetchThroughProxy(process.env) };
  const transport: Transport = config.type === "http" ? new StreamableHTTPClientTransport(url, options) : new SSEClientTransport(url, options);
  try {
    await client.connect(transport, { timeout: connectTimeoutMs, ...(signal ? { signal } : {}) });
  } catch (error) {
    await transport.close().catch(() => {});
    throw new AgentError("E_NETWORK", `${plugin.id}: ${what} at ${url.origin} did not answer: ${(error as Error).message}`, {
      hint: "Check that the server is running and the URL in the plugin's MCP config is right.",
      details: { plugin: plugin.id, server: name, url: url.href },
    });
  }
  return { client, close: () => client.close() };
}
