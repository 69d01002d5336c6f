import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { HookRunner } from "../../host/engine/engine-session.js";
import type { HostTool } from "../../host/tools/host-tool.js";
import { startScriptedModel, systemText, toolResults, type ScriptedModel } from "../support/scripted-model.js";
import { collect, fileTools, tempDir, testClient } from "../support/host-session.js";

let model: ScriptedModel | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await model?.close();
  dir?.cleanup();
  model = undefined;
  dir = undefined;
});

async function setup(script: Parameters<typeof startScriptedModel>[0]) {
  model = await startScriptedModel(script);
  dir = tempDir("agent-engine-");
  return { client: testClient(model.url), env: { projectDir: dir.path, sandbox: "auto" as const, hiddenPaths: [] } };
}

describe("query loop", () => {
  it("streams text as deltas, reports usage and stops on end_turn after one request", async () => {
    const base = await setup([{ content: [{ type: "text", text: "Hello from the scripted model, in several chunks." }], usage: { input_tokens: 42, output_tokens: 7 } }]);
    const events = await collect(base, "say hello");
    const deltas = events.filter((e) => e.type === "text");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => (e as { text: string }).text).join("")).toBe("Hello from the scripted model, in several chunks.");
    expect(events).toContainEqual({ type: "usage", inputTokens: 42, outputTokens: 7 });
    expect(events.at(-1)).toEqual({ type: "stop", reason: "end_turn", turns: 1 });
    expect(model!.requests).toHaveLength(1);
    expect(model!.requests[0]!.messages).toEqual([{ role: "user", content: [{ type: "text", text: "say hello" }] }]);
    expect(systemText(model!.requests[0]!)).toContain(`Working directory: ${dir!.path}`);
  });

  it("runs a tool_use through the tool, sends the tool_result back and loops until end_turn", async () => {
    const base = await setup([
      { content: [{ type: "text", text: "Writing." }, { type: "tool_use", id: "toolu_w", name: "Write", input: { file_path: "out.txt", content: "written by the model" } }] },
      { content: [{ type: "text", text: "Done." }] },
    ]);
    const events = await collect({ ...base, pluginTools: fileTools(base.env.projectDir) }, "write a file");
    expect(readFileSync(join(dir!.path, "out.txt"), "utf8")).toBe("written by the model");
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["tool_use", "permission", "tool_result"]));
    expect(model!.requests).toHaveLength(2);
    expect(model!.requests[0]!.tools!.map((t) => t.name)).toEqual(["Read", "Write"]);
    expect(toolResults(model!.requests[1]!)).toEqual([{ type: "tool_result", tool_use_id: "toolu_w", content: "wrote out.txt" }]);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "end_turn", turns: 2 });
  });

  it("stops at --max-turns even when the model keeps calling tools", async () => {
    const call = { content: [{ type: "tool_use" as const, name: "Read", input: { file_path: "a.txt" } }] };
    const base = await setup([call, call, call, call]);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(base.env.projectDir, "a.txt"), "a");
    const events = await collect({ ...base, pluginTools: fileTools(base.env.projectDir), maxTurns: 2 }, "loop");
    expect(model!.requests).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "max_turns", turns: 2 });
  });

  it("aborts cleanly through the AbortController while a tool runs, without another request", async () => {
    const controller = new AbortController();
    const slow: HostTool = {
      name: "Wait",
      description: "waits until cancelled",
      inputSchema: { type: "object", properties: {} },
      call: (_input, ctx) =>
        new Promise((resolve) => {
          setTimeout(() => controller.abort(), 50);
          ctx.signal.addEventListener("abort", () => resolve({ content: "cancelled", isError: true }));
        }),
    };
    const base = await setup([{ content: [{ type: "tool_use", name: "Wait", input: {} }] }, { content: [{ type: "text", text: "never" }] }]);
    const events = await collect({ ...base, pluginTools: [slow] }, "wait", controller.signal);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "aborted" });
    expect(model!.requests).toHaveLength(1);
  });

  it("answers a call to a tool the session does not have with an error result naming the available tools", async () => {
    const base = await setup([{ content: [{ type: "tool_use", id: "toolu_x", name: "Teleport", input: {} }] }, { content: [{ type: "text", text: "ok" }] }]);
    await collect({ ...base, pluginTools: fileTools(base.env.projectDir) }, "go");
    const [result] = toolResults(model!.requests[1]!);
    expect(result).toMatchObject({ tool_use_id: "toolu_x", is_error: true });
    expect(String(result!.content)).toContain("No such tool: Teleport. Available tools: Read, Write");
  });

  it("a PreToolUse block never runs the tool and gives the model the hook's reason; allow and updatedInput apply", async () => {
    const seen: { event: string; input: Record<string, unknown>; matchQuery?: string }[] = [];
    const hooks: HookRunner = async (event, input, options) => {
      seen.push({ event, input, ...(options.matchQuery ? { matchQuery: options.matchQuery } : {}) });
      if (event === "PreToolUse" && (input.tool_input as { file_path: string }).file_path === "blocked.txt") return { decision: "block", reason: "no writes to blocked.txt", additionalContext: [], messages: [] };
      if (event === "PreToolUse") return { decision: "allow", updatedInput: { file_path: "redirected.txt", content: "x" }, additionalContext: [], messages: [] };
      if (event === "SessionStart") return { additionalContext: ["ctx from a SessionStart hook"], messages: [] };
      return { additionalContext: [], messages: [] };
    };
    const base = await setup([
      { content: [{ type: "tool_use", id: "t1", name: "Write", input: { file_path: "blocked.txt", content: "x" } }] },
      { content: [{ type: "tool_use", id: "t2", name: "Write", input: { file_path: "other.txt", content: "x" } }] },
      { content: [{ type: "text", text: "ok" }] },
    ]);
    await collect({ ...base, pluginTools: fileTools(base.env.projectDir), hooks, permissions: { mode: "ask" } }, "write");
    expect(existsSync(join(dir!.path, "blocked.txt"))).toBe(false);
    expect(toolResults(model!.requests[1]!)[0]).toMatchObject({ is_error: true, content: "PreToolUse:Write hook error: no writes to blocked.txt" });
    expect(existsSync(join(dir!.path, "redirected.txt"))).toBe(true);
    expect(existsSync(join(dir!.path, "other.txt"))).toBe(false);
    expect(systemText(model!.requests[0]!)).toContain("ctx from a SessionStart hook");
    expect(seen.map((s) => s.event)).toEqual(["SessionStart", "UserPromptSubmit", "PreToolUse", "PreToolUse", "PostToolUse", "Stop"]);
    expect(seen[2]).toMatchObject({ matchQuery: "Write", input: { hook_event_name: "PreToolUse", tool_name: "Write", tool_use_id: "t1", cwd: dir!.path } });
  });

  it("a failed call runs PostToolUseFailure (with the error) instead of PostToolUse, whose feedback reaches the model", async () => {
    const seen: { event: string; input: Record<string, unknown> }[] = [];
    const hooks: HookRunner = async (event, input) => {
      seen.push({ event, input });
      return event === "PostToolUseFailure" ? { decision: "block", reason: "check the path first", additionalContext: [], messages: [] } : { additionalContext: [], messages: [] };
    };
    const base = await setup([
      { content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "missing.txt" } }] },
      { content: [{ type: "tool_use", id: "t2", name: "Write", input: { file_path: "ok.txt", content: "x" } }] },
      { content: [{ type: "text", text: "ok" }] },
    ]);
    await collect({ ...base, pluginTools: fileTools(base.env.projectDir), hooks, permissions: { mode: "allow" } }, "go");
    expect(seen.map((s) => s.event)).toEqual(["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUseFailure", "PreToolUse", "PostToolUse", "Stop"]);
    expect(seen[3]!.input).toMatchObject({ hook_event_name: "PostToolUseFailure", tool_name: "Read", tool_use_id: "t1", is_interrupt: false, error: expect.stringContaining("ENOENT") });
    const [failed] = toolResults(model!.requests[1]!);
    expect(failed).toMatchObject({ tool_use_id: "t1", is_error: true });
    expect(String(failed!.content)).toMatch(/\n\nPostToolUseFailure:Read hook feedback: check the path first$/);
    expect(seen[5]!.input).toMatchObject({ hook_event_name: "PostToolUse", tool_response: { content: "wrote ok.txt", is_error: false } });
  });

  it("a Stop hook that blocks sends the model back to work with its reason", async () => {
    let stops = 0;
    const hooks: HookRunner = async (event) => (event === "Stop" && stops++ === 0 ? { decision: "block", reason: "run the tests first", additionalContext: [], messages: [] } : { additionalContext: [], messages: [] });
    const base = await setup([{ content: [{ type: "text", text: "done" }] }, { content: [{ type: "text", text: "tests ran" }] }]);
    const events = await collect({ ...base, hooks }, "work");
    expect(model!.requests).toHaveLength(2);
    expect(JSON.stringify(model!.requests[1]!.messages.at(-1))).toContain("Stop hook feedback: run the tests first");
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "end_turn", turns: 2 });
  });

  it("a UserPromptSubmit block ends the session before any request", async () => {
    const hooks: HookRunner = async (event) => (event === "UserPromptSubmit" ? { decision: "block", reason: "prompt contains a secret", additionalContext: [], messages: [] } : { additionalContext: [], messages: [] });
    const base = await setup([]);
    const events = await collect({ ...base, hooks }, "my password is hunter2");
    expect(model!.requests).toHaveLength(0);
    expect(events.at(-1)).toEqual({ type: "stop", reason: "blocked_by_hook", turns: 0, message: "prompt contains a secret" });
  });

  it("a model API failure is E_MODEL with the status", async () => {
    const base = await setup([]);
    await model!.close();
    await expect(collect(base, "hi")).rejects.toMatchObject({ code: "E_MODEL" });
  });
});
