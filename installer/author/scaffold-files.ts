/** What `agent plugin init --with` can add beside the manifest. */
export const scaffoldParts = ["skills", "agents", "commands", "hooks", "mcp", "lsp"] as const;
export type ScaffoldPart = (typeof scaffoldParts)[number];

export interface ScaffoldFile {
  content: string;
  executable?: boolean;
}

/** The files of a new plugin, by path: a manifest, a README and one working example per part. */
export function scaffoldFiles(name: string, author: string, parts: readonly ScaffoldPart[]): Record<string, ScaffoldFile> {
  const files: Record<string, ScaffoldFile> = {
    ".claude-plugin/plugin.json": { content: json({ name, version: "0.1.0", description: `The ${name} plugin`, author: { name: author }, license: "MIT", keywords: [] }) },
    "README.md": { content: readme(name, parts) },
  };
  for (const part of parts) Object.assign(files, partFiles[part](name));
  return files;
}

const partFiles: Record<ScaffoldPart, (name: string) => Record<string, ScaffoldFile>> = {
  skills: (name) => ({
    "skills/hello/SKILL.md": {
      content: `---\nname: hello\ndescription: Greets the user on behalf of the ${name} plugin. Use when the user says hello.\n---\n\nGreet the user warmly and mention that the ${name} plugin is installed.\n`,
    },
  }),
  agents: (name) => ({
    "agents/reviewer.md": {
      content: `---\nname: reviewer\ndescription: Reviews a change for the ${name} plugin and reports problems.\ntools: Read, Grep, Glob\n---\n\nYou review code changes. List concrete problems with file and line, most serious first.\n`,
    },
  }),
  commands: (name) => ({
    "commands/hello.md": {
      content: `---\ndescription: Say hello from ${name}\nargument-hint: "[who]"\n---\n\nSay hello to $ARGUMENTS from the ${name} plugin.\n`,
    },
  }),
  hooks: (name) => ({
    "hooks/hooks.json": {
      content: json({
        description: `Hooks of the ${name} plugin`,
        hooks: { SessionStart: [{ matcher: "startup", hooks: [{ type: "command", command: "${CLAUDE_PLUGIN_ROOT}/hooks/session-start.sh" }] }] },
      }),
    },
    "hooks/session-start.sh": { content: `#!/bin/sh\n# SessionStart: what this prints is added to the session's context.\necho "The ${name} plugin is active."\n`, executable: true },
  }),
  mcp: (name) => ({
    ".mcp.json": { content: json({ mcpServers: { [name]: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/mcp/server.mjs"] } } }) },
    "mcp/server.mjs": { content: mcpServer(name) },
  }),
  lsp: (name) => ({
    ".lsp.json": {
      content: json({ [`${name}-typescript`]: { command: "typescript-language-server", args: ["--stdio"], extensionToLanguage: { ".ts": "typescript", ".tsx": "typescriptreact" } } }),
    },
  }),
};

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function readme(name: string, parts: readonly ScaffoldPart[]): string {
  const lines = [`# ${name}`, "", `A Claude Code plugin.`, "", "## Develop", "", "```sh", "agent plugin validate .", "agent plugin pack", "agent plugin publish --registry <url>", "```", ""];
  if (parts.includes("lsp")) lines.push("The LSP server needs `typescript-language-server` on PATH (`npm install -g typescript-language-server typescript`).", "");
  return lines.join("\n");
}

/** A dependency-free MCP server over stdio (newline-delimited JSON-RPC) with one `echo` tool. */
function mcpServer(name: string): string {
  return `import { createInterface } from "node:readline";

const tools = [{ name: "echo", description: "Returns the text it is given", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } }];

function answer(request) {
  switch (request.method) {
    case "initialize":
      return { protocolVersion: request.params?.protocolVersion ?? "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: ${JSON.stringify(name)}, version: "0.1.0" } };
    case "tools/list":
      return { tools };
    case "tools/call":
      return { content: [{ type: "text", text: String(request.params?.arguments?.text ?? "") }] };
    case "ping":
      return {};
    default:
      return undefined;
  }
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  if (request.id === undefined) return;
  const result = answer(request);
  const reply = result === undefined ? { error: { code: -32601, message: \`unknown method \${request.method}\` } } : { result };
  process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: request.id, ...reply }) + "\\n");
});
`;
}
