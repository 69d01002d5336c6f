import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { HostTool, ToolResult } from "../tools/host-tool.js";

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

/** Lists a connected server's tools as HostTools named by `nameOf`. */
export async function mcpHostTools(client: Client, pluginId: string, nameOf: (tool: string) => string[], timeoutMs?: number): Promise<HostTool[]> {
  const { tools } = await client.listTools();
  return tools.flatMap((tool) =>
    nameOf(tool.name).map(
      (name): HostTool => ({
        name,
        description: tool.description ?? "",
        inputSchema: tool.inputSchema as Record<string, unknown>,
        pluginId,
        async call(input, ctx): Promise<ToolResult> {
          const result = await client.callTool({ name: tool.name, arguments: input }, undefined, {
            signal: ctx.signal,
            timeout: timeoutMs ?? toolCallTimeoutMs,
            resetTimeoutOnProgress: true,
          });
          const text = "content" in result && Array.isArray(result.content) ? contentText(result.content as ToolContent[]) : JSON.stringify(result.toolResult ?? "");
          return { content: text, ...(result.isError ? { isError: true } : {}) };
        },
      }),
    ),
  );
}
