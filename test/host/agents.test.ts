import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runHooks, type HookEventName } from "../../host/hooks/run-hooks.js";
import type { PermissionRequest } from "../../host/permissions/permission-decision.js";
import { requireTool } from "../support/real-parts.js";
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

describe("sub-agent hooks", () => {
  it("SubagentStart adds context to the agent's prompt and SubagentStop sends it back to work, both matched on the agent's name", async () => {
    requireTool("bwrap");
    const project = scratch.dir("agent-agents-").path;
    writeFileSync(join(project, "a.ts"), "export const a = 1;");
    const parent = scratch.dir("agent-agents-plugins-").path;
    const command = (cmd: string) => ({ type: "command", command: cmd });
    const plugin = writePlugin(parent, "review-kit", {
      "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews code.\ntools: Read\n---\nYou are the reviewer agent.",
      "hooks/hooks.json": JSON.stringify({
        hooks: {
          SubagentStart: [
            { matcher: "review-kit:reviewer", hooks: [command(`cat > "$CLAUDE_PLUGIN_DATA/start.json"; echo '{"hookSpecificOutput":{"hookEventName":"SubagentStart","additionalContext":"house style: tabs"}}'`)] },
            { matcher: "other-kit:writer", hooks: [command('touch "$CLAUDE_PLUGIN_DATA/wrong-agent"')] },
          ],
          SubagentStop: [{ matcher: "review-kit:reviewer", hooks: [command('test -e "$CLAUDE_PLUGIN_DATA/nudged" && exit 0; touch "$CLAUDE_PLUGIN_DATA/nudged"; echo "also check b.ts" >&2; exit 2')] }],
          Stop: [{ hooks: [command('touch "$CLAUDE_PLUGIN_DATA/session-stop"')] }],
        },
      }),
    });
    const env = { projectDir: project, sandbox: "auto" as const, hiddenPaths: [] };
    const model = await scratch.startModel([
      delegate,
      { content: [{ type: "text", text: "a.ts is fine." }] },
      { content: [{ type: "text", text: "b.ts is fine too." }] },
      { content: [{ type: "text", text: "All reviewed." }] },
    ]);
    const events = await collect(
      { client: testClient(model.url), env, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "allow" }, hooks: (event, input, options) => runHooks([plugin], env, event as HookEventName, input, options) },
      "get a review",
    );
    const [, agentFirst, agentSecond, parentLast] = model.requests;
    expect(agentFirst!.messages).toEqual([{ role: "user", content: [{ type: "text", text: "review a.ts" }, { type: "text", text: "house style: tabs" }] }]);
    const start = JSON.parse(readFileSync(join(plugin.dataDir, "start.json"), "utf8"));
    expect(start).toMatchObject({ hook_event_name: "SubagentStart", agent_type: "review-kit:reviewer", agent_id: expect.any(String) });
    expect(existsSync(join(plugin.dataDir, "wrong-agent"))).toBe(false);
    const feedback = agentSecond!.messages.at(-1) as { role: string; content: { text: string }[] };
    expect(feedback.role).toBe("user");
    expect(feedback.content[0]!.text).toMatch(/^SubagentStop hook feedback: \[review-kit: .*\]: also check b\.ts$/);
    expect(toolResults(parentLast!)[0]).toEqual({ type: "tool_result", tool_use_id: "toolu_agent", content: "b.ts is fine too." });
    expect(events).toContainEqual(expect.objectContaining({ type: "hook", event: "SubagentStop" }));
    expect(existsSync(join(plugin.dataDir, "session-stop"))).toBe(true); // the parent's own Stop still runs, once it ends
  });
});

describe("PermissionRequest hooks (real hook commands under bubblewrap)", () => {
  it("answer for the person who would be asked: allow with a changed input, or deny with a message; without a hook the call is denied as before", async () => {
    requireTool("bwrap");
    const project = scratch.dir("agent-permreq-").path;
    writeFileSync(join(project, "a.ts"), "export const a = 1;");
    const parent = scratch.dir("agent-permreq-plugins-").path;
    const answer = (json: unknown) => ({ type: "command", command: `cat > "$CLAUDE_PLUGIN_DATA/request-$(date +%s%N).json"; echo '${JSON.stringify(json)}'` });
    const plugin = writePlugin(parent, "gate", {
      "hooks/hooks.json": JSON.stringify({
        hooks: {
          PermissionRequest: [
            { matcher: "Write", hooks: [answer({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow", updatedInput: { file_path: "safe.txt", content: "rewritten" } } } })] },
            { matcher: "Read", hooks: [answer({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: "reading is off today" } } })] },
          ],
        },
      }),
    });
    const env = { projectDir: project, sandbox: "auto" as const, hiddenPaths: [] };
    const model = await scratch.startModel([
      { content: [{ type: "tool_use", id: "toolu_w", name: "Write", input: { file_path: "out.txt", content: "original" } }] },
      { content: [{ type: "tool_use", id: "toolu_r", name: "Read", input: { file_path: "a.ts" } }] },
      { content: [{ type: "text", text: "done" }] },
    ]);
    const events = await collect(
      { client: testClient(model.url), env, plugins: [plugin], pluginTools: fileTools(project), permissions: { mode: "ask" }, hooks: (event, input, options) => runHooks([plugin], env, event as HookEventName, input, options) },
      "write then read",
    );
    expect(existsSync(join(project, "out.txt"))).toBe(false);
    expect(readFileSync(join(project, "safe.txt"), "utf8")).toBe("rewritten");
    expect(toolResults(model.requests[2]!)[0]).toEqual({ type: "tool_result", tool_use_id: "toolu_r", content: "Permission to use Read was denied: reading is off today", is_error: true });
    expect(events).toContainEqual({ type: "permission", tool: "Write", decision: "allow", reason: "allowed by a PermissionRequest hook" });
    const requests = readdirSync(plugin.dataDir).map((f) => JSON.parse(readFileSync(join(plugin.dataDir, f), "utf8")));
    expect(requests).toContainEqual(expect.objectContaining({ hook_event_name: "PermissionRequest", tool_name: "Write", tool_input: { file_path: "out.txt", content: "original" }, permission_suggestions: ["Write"] }));

    const plain = await scratch.startModel([{ content: [{ type: "tool_use", id: "toolu_w2", name: "Write", input: { file_path: "x.txt", content: "x" } }] }, { content: [{ type: "text", text: "ok" }] }]);
    await collect({ client: testClient(plain.url), env, plugins: [], pluginTools: fileTools(project), permissions: { mode: "ask" } }, "write");
    expect(existsSync(join(project, "x.txt"))).toBe(false);
    expect(String(toolResults(plain.requests[1]!)[0]!.content)).toContain("nobody can be asked for permission");
  });
});

describe("an agent's skills", () => {
  it("are preloaded in full into the agent's instructions: its own plugin's first, another plugin's by plugin:name; unknown names are skipped", async () => {
    const project = scratch.dir("agent-agents-").path;
    const parent = scratch.dir("agent-agents-plugins-").path;
    const kit = writePlugin(parent, "review-kit", {
      "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews code.\nskills: checklist, style:tabs, nowhere\n---\nYou are the reviewer agent.",
      "skills/checklist/SKILL.md": "---\ndescription: The review checklist.\n---\nAlways check error handling in ${CLAUDE_SKILL_DIR}.",
    });
    const style = writePlugin(parent, "style", { "skills/tabs/SKILL.md": "---\ndescription: Indentation.\n---\nIndent with tabs." });
    const model = await scratch.startModel([delegate, { content: [{ type: "text", text: "reviewed" }] }, { content: [{ type: "text", text: "ok" }] }]);
    await collect({ client: testClient(model.url), env: { projectDir: project, sandbox: "auto", hiddenPaths: [] }, plugins: [kit, style], pluginTools: fileTools(project), permissions: { mode: "allow" } }, "go");
    const instructions = systemText(model.requests[1]!);
    expect(instructions).toMatch(/^You are the reviewer agent\.\n\n# Skill review-kit:checklist\n/);
    expect(instructions).toContain(`Always check error handling in ${join(kit.root, "skills", "checklist")}.`);
    expect(instructions).toContain("# Skill style:tabs\n");
    expect(instructions).toContain("Indent with tabs.");
    expect(instructions).not.toContain("nowhere");
    expect(systemText(model.requests[0]!)).not.toContain("Always check error handling");
  });
});
