import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { HostTool, ToolResult } from "../tools/host-tool.js";
import type { ListedTool } from "./tool-list-cache.js";

/** Tool calls may run long (a build under Bash); progress notifications keep them alive. */
export const toolCallTimeoutMs = 600_000;

interface ToolContent {
  type: string;
  text?: string;
  mimeType?: string;
  resource?: { uri?: string; text?: string };
}

function contentText(content: ToolContent[]): string {
  return content
    .map((c) => {
      if (c.type === "text") return c.text ?? "";
      if (c.type === "resource") return c.resource?.text ?? `[resource ${c.resource?.uri ?? ""}]`;
      return `[${c.type}${c.mimeType ? ` ${c.mimeType}` : ""}]`;
    })
    .join("\n");
}

/** A tools/list answer as it is cached and offered. */
export async function listTools(client: Client): Promise<ListedTool[]> {
  const { tools } = await client.listTools();
  return tools.map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema as Record<string, unknown> }));
}

/** A server's tools as HostTools named by `nameOf`; a call waits for the server's connection when it is still starting. */
export function mcpHostTools(tools: ListedTool[], connection: () => Promise<Client>, pluginId: string, nameOf: (tool: string) => string[], timeoutMs?: number): HostTool[] {
  return tools.flatMap((tool) =>
    nameOf(tool.name).map(
      (name): HostTool => ({
        name,
        description: tool.description ?? "",
        inputSchema: tool.inputSchema,
        pluginId,
        async call(input, ctx): Promise<ToolResult> {
          const client = await connection();
          // the SDK leaves a listener on the signal it gets: give it one per call, not the session's
          const perCall = new AbortController();
          const onAbort = () => perCall.abort(ctx.signal.reason);
          if (ctx.signal.aborted) perCall.abort(ctx.signal.reason);
          else ctx.signal.addEventListener("abort", onAbort, { once: true });
          const result = await client
            .callTool({ name: tool.name, arguments: input }, undefined, { signal: perCall.signal, timeout: timeoutMs ?? toolCallTimeoutMs, resetTimeoutOnProgress: true })
            .finally(() => ctx.signal.removeEventListener("abort", onAbort));
          const text = "content" in result && Array.isArray(result.content) ? contentText(result.content as ToolContent[]) : JSON.stringify(result.toolResult ?? "");
          return { content: text, ...(result.isError ? { isError: true } : {}) };
        },
      }),
    ),
  );
}
