import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSession } from "../../host/engine/run-session.js";
import { openSession } from "../../host/session/open-session.js";
import type { SessionEvent } from "../../host/engine/session-events.js";
import { requireTool } from "../support/real-parts.js";
import { systemText, toolResults } from "../support/scripted-model.js";
import { cleanUpAfterEach, testClient, writePlugin } from "../support/host-session.js";

const scratch = cleanUpAfterEach();
const sdkServer = join(process.cwd(), "node_modules/@modelcontextprotocol/sdk/dist/esm/server");

/**
 * A stdio MCP server: `check` answers as a PreToolUse hook would (and logs what it was given), `save`
 * writes a file into the plugin's data dir.
 */
const guardServer = `
import { appendFileSync, writeFileSync } from "node:fs";
import { z } from ${JSON.stringify(join(process.cwd(), "node_modules/zod/index.js"))};
import { McpServer } from ${JSON.stringify(`${sdkServer}/mcp.js`)};
import { StdioServerTransport } from ${JSON.stringify(`${sdkServer}/stdio.js`)};
const server = new McpServer({ name: "guard", version: "1.0.0" });
server.registerTool("check", { description: "judges a file write", inputSchema: { path: z.string(), size: z.string().optional(), literal: z.number().optional() } }, async (args) => {
  appendFileSync(process.env.CLAUDE_PLUGIN_DATA + "/calls.jsonl", JSON.stringify(args) + "\\n");
  const path = String(args.path ?? "");
  const decision = path.endsWith(".env") ? { permissionDecision: "deny", permissionDecisionReason: "no secrets files" } : { permissionDecision: "allow" };
  return { content: [{ type: "text", text: JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", ...decision } }) }] };
});
server.registerTool("save", { description: "saves a file", inputSchema: { file_path: z.string(), content: z.string() } }, async ({ file_path, content }) => {
  writeFileSync(process.env.CLAUDE_PLUGIN_DATA + "/" + file_path, content);
  return { content: [{ type: "text", text: "saved " + file_path }] };
});
await server.connect(new StdioServerTransport());
`;

describe("mcp_tool hooks", () => {
  it("call the plugin's own MCP server with ${tool_input.x} filled in and read its answer as a decision; another plugin's server is out of reach", async () => {
    requireTool("bwrap");
    const project = scratch.dir("agent-mcp-hooks-").path;
    const parent = scratch.dir("agent-mcp-hooks-plugins-").path;
    const guard = writePlugin(parent, "guard", {
      "server.mjs": guardServer,
      ".mcp.json": JSON.stringify({ mcpServers: { judge: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server.mjs"] } } }),
      "hooks/hooks.json": JSON.stringify({
        hooks: { PreToolUse: [{ matcher: "mcp__plugin_guard_judge__save", hooks: [{ type: "mcp_tool", server: "judge", tool: "check", input: { path: "${tool_input.file_path}", size: "${tool_input.content}", literal: 7 } }] }] },
      }),
    });
    const nosy = writePlugin(parent, "nosy", {
      "hooks/hooks.json": JSON.stringify({ hooks: { PreToolUse: [{ matcher: "mcp__plugin_guard_judge__save", hooks: [{ type: "mcp_tool", server: "plugin:guard:judge", tool: "check", input: { path: "x.env" } }] }] } }),
    });
    const model = await scratch.startModel([
      { content: [{ type: "tool_use", id: "w1", name: "mcp__plugin_guard_judge__save", input: { file_path: "prod.env", content: "KEY=1" } }] },
      { content: [{ type: "tool_use", id: "w2", name: "mcp__plugin_guard_judge__save", input: { file_path: "notes.txt", content: "hello" } }] },
      { content: [{ type: "text", text: "done" }] },
    ]);
    const warnings: string[] = [];
    const env = { projectDir: project, sandbox: "auto" as const, hiddenPaths: [], readOnlyPaths: [join(process.cwd(), "node_modules")], onWarning: (m: string) => warnings.push(m) };
    const opened = await openSession({ plugins: [guard, nosy], env, client: testClient(model.url), model: "claude-test-1", maxTurns: 5, permissions: { mode: "ask" } });
    const events: SessionEvent[] = [];
    try {
      for await (const event of runSession(opened.session, "write two files", new AbortController().signal)) events.push(event);
    } finally {
      await opened.close();
    }
    expect(existsSync(join(guard.dataDir, "prod.env"))).toBe(false);
    expect(toolResults(model.requests[1]!)[0]).toMatchObject({ tool_use_id: "w1", is_error: true, content: "PreToolUse:mcp__plugin_guard_judge__save hook error: no secrets files" });
    expect(readFileSync(join(guard.dataDir, "notes.txt"), "utf8")).toBe("hello");
    const calls = readFileSync(join(guard.dataDir, "calls.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(calls).toEqual([
      { path: "prod.env", size: "KEY=1", literal: 7 },
      { path: "notes.txt", size: "hello", literal: 7 },
    ]);
    const nosyMessages = events.filter((e) => e.type === "hook").flatMap((e) => (e as { outcome: { messages: string[] } }).outcome.messages);
    expect(nosyMessages.some((m) => m.includes('nosy@inline has no MCP tool "check" on a server "plugin:guard:judge"'))).toBe(true);
  });
});

/** a server that, as it starts, waits (up to 3 s) for a file the plugin's SessionStart hook writes */
const waitingServer = `
import { existsSync } from "node:fs";
import { McpServer } from ${JSON.stringify(`${sdkServer}/mcp.js`)};
import { StdioServerTransport } from ${JSON.stringify(`${sdkServer}/stdio.js`)};
const marker = process.env.CLAUDE_PLUGIN_DATA + "/session-started";
const until = Date.now() + 3000;
while (!existsSync(marker) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
const sawHook = existsSync(marker);
const server = new McpServer({ name: "early", version: "1.0.0" });
server.registerTool("briefing", { description: "what the server saw as it started" }, async () => ({ content: [{ type: "text", text: "server saw the SessionStart hook: " + sawHook }] }));
await server.connect(new StdioServerTransport());
`;

describe("SessionStart hooks at start-up", () => {
  it("run while the MCP servers start, and an mcp_tool SessionStart hook waits for its server", async () => {
    requireTool("bwrap");
    const project = scratch.dir("agent-session-start-").path;
    const parent = scratch.dir("agent-session-start-plugins-").path;
    const early = writePlugin(parent, "early", {
      "server.mjs": waitingServer,
      ".mcp.json": JSON.stringify({ mcpServers: { brief: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server.mjs"] } } }),
      "hooks/hooks.json": JSON.stringify({
        hooks: {
          SessionStart: [
            { hooks: [{ type: "command", command: 'touch "$CLAUDE_PLUGIN_DATA/session-started"' }] },
            { hooks: [{ type: "mcp_tool", server: "brief", tool: "briefing", input: {} }] },
          ],
        },
      }),
    });
    const model = await scratch.startModel([{ content: [{ type: "text", text: "hi" }] }]);
    const env = { projectDir: project, sandbox: "auto" as const, hiddenPaths: [], readOnlyPaths: [join(process.cwd(), "node_modules")] };
    const signal = new AbortController().signal;
    const opened = await openSession({ plugins: [early], env, client: testClient(model.url), model: "claude-test-1", maxTurns: 2, permissions: { mode: "ask" } }, { signal });
    try {
      expect(opened.sessionStart).toBeDefined();
      for await (const _ of runSession(opened.session, "hello", signal, { sessionStart: opened.sessionStart! }));
    } finally {
      await opened.close();
    }
    expect(model.requests).toHaveLength(1);
    // the command hook ran before the server had started; the mcp_tool hook got the started server's answer
    expect(systemText(model.requests[0]!)).toContain("server saw the SessionStart hook: true");
  });
});
