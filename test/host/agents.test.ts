import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PermissionRequest } from "../../host/permissions/permission-decision.js";
import { systemText, toolResults } from "../support/scripted-model.js";
import { cleanUpAfterEach, collect, fileTools, testClient, writePlugin } from "../support/host-session.js";

const scratch = cleanUpAfterEach();

function setup() {
  const project = scratch.dir("agent-agents-");
  const parent = scratch.dir("agent-agents-plugins-");
  writeFileSync(join(project.path, "a.ts"), "export const a = 1;");
  const plugin = writePlugin(parent.path, "review-kit", {
    "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews code without editing.\ntools: Read\nmaxTurns: 3\n---\nYou are the reviewer agent. Never edit.",
  });
  return { project: project.path, plugin };
}

const delegate = { content: [{ type: "tool_use" as const, id: "toolu_agent", name: "Agent", input: { subagent_type: "review-kit:reviewer", prompt: "review a.ts", description: "review" } }] };

describe("plugin agents as sub-loops", () => {
  it("runs the agent with its own instructions and tool list, and returns its final answer to the parent", async () => {
    const { project, plugin } = setup();
    const model = await scratch.startModel([
      delegate,
      { content: [{ type: "tool_use", name: "Read", input: { file_path: "a.ts" } }] },
      { content: [{ type: "text", text: "a.ts looks fine." }] },
      { content: [{ type: "text", text: "The reviewer says it looks fine." }] },
    ]);
    const events = await collect(
      { client: testClient(model.url), env: { projectDir: project, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "allow" } },
      "get a review",
    );
    const [parentFirst, agentFirst, agentSecond, parentLast] = model.requests;
    expect(parentFirst!.tools!.map((t) => t.name)).toEqual(["Read", "Write", "Agent"]);
    expect(parentFirst!.tools!.find((t) => t.name === "Agent")!.description).toContain("- review-kit:reviewer: Reviews code without editing. (tools: Read)");
    expect(systemText(agentFirst!)).toMatch(/^You are the reviewer agent\. Never edit\./);
    expect(agentFirst!.tools!.map((t) => t.name)).toEqual(["Read"]);
    expect(agentFirst!.messages).toEqual([{ role: "user", content: [{ type: "text", text: "review a.ts" }] }]);
    expect(toolResults(agentSecond!)[0]!.content).toBe("export const a = 1;");
    expect(toolResults(parentLast!)[0]).toEqual({ type: "tool_result", tool_use_id: "toolu_agent", content: "a.ts looks fine." });
    expect(events).toContainEqual({ type: "agent_stop", agent: "review-kit:reviewer", reason: "end_turn", turns: 2 });
    expect(events).toContainEqual(expect.objectContaining({ type: "tool_use", name: "Read", agent: "review-kit:reviewer" }));
    expect(events.filter((e) => e.type === "text").map((e) => (e as { text: string }).text).join("")).toBe("The reviewer says it looks fine.");
  });

  it("a tool outside the agent's list is not available to it, even when the model asks for it", async () => {
    const { project, plugin } = setup();
    const model = await scratch.startModel([
      delegate,
      { content: [{ type: "tool_use", name: "Write", input: { file_path: "evil.ts", content: "x" } }] },
      { content: [{ type: "text", text: "could not write" }] },
      { content: [{ type: "text", text: "ok" }] },
    ]);
    await collect({ client: testClient(model.url), env: { projectDir: project, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "allow" } }, "go");
    expect(existsSync(join(project, "evil.ts"))).toBe(false);
    expect(String(toolResults(model.requests[2]!)[0]!.content)).toContain("No such tool: Write");
  });

  it("in bubble mode the agent's permission prompts go up to the parent's prompter, naming the agent", async () => {
    const { project, plugin } = setup();
    const asked: PermissionRequest[] = [];
    const model = await scratch.startModel([delegate, { content: [{ type: "tool_use", name: "Read", input: { file_path: "a.ts" } }] }, { content: [{ type: "text", text: "read it" }] }, { content: [{ type: "text", text: "ok" }] }]);
    const events = await collect(
      { client: testClient(model.url), env: { projectDir: project, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "bubble", prompter: async (r) => (asked.push(r), "once") } },
      "go",
    );
    expect(asked).toEqual([{ tool: "Read", input: { file_path: "a.ts" }, agent: "review-kit:reviewer", suggestedRule: "Read" }]);
    expect(events).toContainEqual({ type: "permission", tool: "Read", decision: "allow", reason: "the user allowed it once", agent: "review-kit:reviewer" });
    expect(toolResults(model.requests[2]!)[0]!.content).toBe("export const a = 1;");
  });

  it("in ask mode the agent cannot prompt: its call is denied with how to forward prompts, the parent is never asked", async () => {
    const { project, plugin } = setup();
    const asked: PermissionRequest[] = [];
    const model = await scratch.startModel([delegate, { content: [{ type: "tool_use", name: "Read", input: { file_path: "a.ts" } }] }, { content: [{ type: "text", text: "denied" }] }, { content: [{ type: "text", text: "ok" }] }]);
    await collect(
      { client: testClient(model.url), env: { projectDir: project, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "ask", prompter: async (r) => (asked.push(r), "once") } },
      "go",
    );
    expect(asked).toEqual([]);
    const [result] = toolResults(model.requests[2]!);
    expect(result).toMatchObject({ is_error: true });
    expect(String(result!.content)).toContain("--permission-mode bubble");
  });
});
