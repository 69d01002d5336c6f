import { existsSync } from "node:fs";
import { extname, isAbsolute, resolve } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import type { LspServer as LspServerConfig } from "../../schemas/lsp.js";
import { isInside } from "../sandbox/resolve-sandbox-paths.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import type { HostTool, ToolResult } from "../tools/host-tool.js";
import { formatDefinition, formatDiagnostics, formatHover } from "./format-lsp-results.js";
import { LspServer, requestTimeoutMs } from "./lsp-server.js";

interface ServerEntry {
  plugin: LoadedPlugin;
  name: string;
  config: LspServerConfig;
  running?: Promise<LspServer>;
}

const operations = ["diagnostics", "definition", "hover"] as const;
type Operation = (typeof operations)[number];

const inputSchema = {
  type: "object",
  properties: {
    operation: { type: "string", enum: operations, description: "diagnostics: errors and warnings of the file; definition: where the symbol at the position is defined; hover: its type and documentation" },
    file_path: { type: "string", description: "The file to ask about (absolute, or relative to the workspace)" },
    line: { type: "number", description: "The line number (1-based, as shown in editors); needed for definition and hover" },
    character: { type: "number", description: "The character offset in the line (1-based, as shown in editors); needed for definition and hover" },
  },
  required: ["operation", "file_path"],
  additionalProperties: false,
};

/**
 * The LSP tool over the language servers of the enabled plugins (lspServers / .lsp.json). A server
 * starts, in its plugin's sandbox, the first time a file with one of its extensions is asked about.
 * Undefined when no plugin brings a language server.
 */
export function createLspTool(plugins: LoadedPlugin[], env: SessionEnvironment): { tool: HostTool; close(): Promise<void> } | undefined {
  const entries: ServerEntry[] = plugins.flatMap((plugin) => plugin.inventory.lspServers.map((s) => ({ plugin, name: s.name, config: s.config })));
  if (entries.length === 0) return undefined;
  const extensions = [...new Set(entries.flatMap((e) => Object.keys(e.config.extensionToLanguage)))].sort();

  const serverFor = (entry: ServerEntry): Promise<LspServer> => {
    const current = entry.running;
    if (current) return current.then((s) => (s.exited ? restart(entry) : s), () => restart(entry));
    return restart(entry);
  };
  const restart = (entry: ServerEntry): Promise<LspServer> => {
    entry.running = LspServer.start(entry.plugin, env, entry.name, entry.config);
    return entry.running;
  };

  const tool: HostTool = {
    name: "LSP",
    description: `Asks a language server about code: diagnostics, go to definition, hover. Files with these extensions have a server: ${extensions.join(", ")}.`,
    inputSchema,
    async call(input): Promise<ToolResult> {
      const operation = input.operation as Operation;
      if (!operations.includes(operation)) return { content: `operation must be one of ${operations.join(", ")}`, isError: true };
      if (typeof input.file_path !== "string" || !input.file_path) return { content: "file_path is required", isError: true };
      const file = isAbsolute(input.file_path) ? input.file_path : resolve(env.projectDir, input.file_path);
      if (!isInside(file, env.projectDir)) return { content: `${file} is outside the workspace; language servers only see the workspace`, isError: true };
      if (!existsSync(file)) return { content: `File does not exist: ${file}`, isError: true };
      const entry = entries.find((e) => extname(file) in e.config.extensionToLanguage);
      if (!entry) return { content: `No language server handles ${extname(file) || "files without an extension"}; servers cover ${extensions.join(", ")}`, isError: true };
      try {
        const server = await serverFor(entry);
        const uri = await server.sync(file);
        if (operation === "diagnostics") {
          if (!entry.config.diagnostics) return { content: `${entry.plugin.id}: LSP server "${entry.name}" has diagnostics turned off`, isError: true };
          return { content: formatDiagnostics(file, await server.diagnosticsFor(uri), env.projectDir) };
        }
        const line = Number(input.line);
        const character = Number(input.character);
        if (!Number.isInteger(line) || !Number.isInteger(character) || line < 1 || character < 1) return { content: `${operation} needs line and character (1-based)`, isError: true };
        const params = { textDocument: { uri }, position: { line: line - 1, character: character - 1 } };
        if (operation === "definition") return { content: formatDefinition(await server.rpc.request("textDocument/definition", params, requestTimeoutMs), env.projectDir) };
        return { content: formatHover(await server.rpc.request("textDocument/hover", params, requestTimeoutMs)) };
      } catch (error) {
        return { content: error instanceof AgentError ? `${error.message}\n${error.hint ?? ""}`.trim() : `LSP ${operation} failed: ${(error as Error).message}`, isError: true };
      }
    },
  };

  return {
    tool,
    async close() {
      await Promise.allSettled(entries.map(async (e) => (await e.running?.catch(() => undefined))?.stop()));
    },
  };
}
