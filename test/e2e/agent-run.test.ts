import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { agent, agentProcess } from "../support/run-agent.js";
import { startScriptedModel, systemText, toolResults, type ScriptedModel } from "../support/scripted-model.js";
import { tempDir } from "../support/host-session.js";

/**
 * The whole product in one run: plugins installed from the built-in marketplace into a fresh AGENT_HOME,
 * `agent run` (the built CLI, as a process) against the scripted model, the core tools as a real MCP
 * server and the safety hook as a real script, both inside real bubblewrap.
 */
describe("agent run end to end", () => {
  let home: ReturnType<typeof tempDir>;
  let project: ReturnType<typeof tempDir>;
  let model: ScriptedModel;
  let run: Awaited<ReturnType<typeof agentProcess>>;

  beforeAll(async () => {
    requireTool("bwrap");
    home = tempDir("agent-e2e-home-");
    project = tempDir("agent-e2e-project-");
    mkdirSync(join(project.path, "src"));
    writeFileSync(join(project.path, "notes.txt"), "status: draft\n");
    writeFileSync(join(project.path, "keep.txt"), "do not delete\n");
    writeFileSync(join(project.path, "src", "app.ts"), "export const answer: any = 42;\n");
    const install = await agent(["plugin", "install", "core-tools@agent-builtin", "safety-hooks@agent-builtin", "code-review@agent-builtin", "-y"], { env: { AGENT_HOME: home.path }, cwd: project.path });
    expect(install.status, install.stderr).toBe(0);

    model = await startScriptedModel([
      { content: [{ type: "text", text: "Reading the notes." }, { type: "tool_use", id: "toolu_read_notes", name: "Read", input: { file_path: join(project.path, "notes.txt") } }] },
      { content: [{ type: "tool_use", id: "toolu_edit", name: "Edit", input: { file_path: join(project.path, "notes.txt"), old_string: "status: draft", new_string: "status: final" } }] },
      { content: [{ type: "tool_use", id: "toolu_rm", name: "Bash", input: { command: `rm -rf ${join(project.path, "keep.txt")}`, description: "clean up" } }] },
      { content: [{ type: "tool_use", id: "toolu_read_ts", name: "Read", input: { file_path: join(project.path, "src", "app.ts") } }] },
      { content: [{ type: "text", text: "Edited the notes; the delete was blocked." }] },
    ]);
    run = await agentProcess(["run", "--json", "--permission-mode", "allow", "--max-turns", "8", "update the notes"], {
      env: { AGENT_HOME: home.path, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "test-key" },
      cwd: project.path,
      timeoutMs: 90_000,
    });
  }, 180_000);

  afterAll(async () => {
    await model?.close();
    home?.cleanup();
    project?.cleanup();
  });

  it("finishes the session with end_turn after five requests, streaming JSON-line events", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("WITHOUT a sandbox");
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ type: "session_start", tools: expect.arrayContaining(["Read", "Write", "Edit", "Bash", "Glob", "Grep", "Skill", "Agent"]) });
    expect(events.at(-1)).toEqual({ type: "stop", reason: "end_turn", turns: 5 });
    expect(model.requests).toHaveLength(5);
  });

  it("edits a file through the core-tools Edit tool: the change is on disk", () => {
    expect(readFileSync(join(project.path, "notes.txt"), "utf8")).toBe("status: final\n");
    expect(toolResults(model.requests[2]!)[0]).toMatchObject({ tool_use_id: "toolu_edit" });
    expect(toolResults(model.requests[2]!)[0]!.is_error).toBeFalsy();
  });

  it("the safety-hooks PreToolUse hook blocks Bash(rm -rf …): the file stays and the model gets the hook's stderr", () => {
    expect(existsSync(join(project.path, "keep.txt"))).toBe(true);
    const [blocked] = toolResults(model.requests[3]!);
    expect(blocked).toMatchObject({ tool_use_id: "toolu_rm", is_error: true });
    expect(String(blocked!.content)).toMatch(/^PreToolUse:Bash hook error: .*blocked by safety-hooks: "rm -rf .*keep\.txt" matches/s);
  });

  it("the path-scoped typescript-style skill enters the request only after a .ts file is read", () => {
    const prompts = model.requests.map(systemText);
    for (const before of prompts.slice(0, 4)) {
      expect(before).toContain("- code-review:review:");
      expect(before).not.toContain("code-review:typescript-style");
    }
    expect(prompts[4]).toContain("- code-review:typescript-style: TypeScript conventions for this codebase.");
    expect(toolResults(model.requests[4]!)[0]!.content).toContain("export const answer: any = 42;");
  });
});
