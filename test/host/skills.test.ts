import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemText, toolResults } from "../support/scripted-model.js";
import { cleanUpAfterEach, collect, fileTools, testClient, writePlugin } from "../support/host-session.js";

const scratch = cleanUpAfterEach();

function stylePlugin(parent: string) {
  return writePlugin(parent, "style", {
    "skills/ts-style/SKILL.md": "---\nname: ts-style\ndescription: TypeScript conventions.\npaths:\n  - \"**/*.ts\"\n---\nPrefer unknown to any. Plugin at ${CLAUDE_PLUGIN_ROOT}.",
    "skills/review/SKILL.md": "---\ndescription: Review a change.\nwhen_to_use: When asked for a review.\n---\nReview with focus on $ARGUMENTS.",
    "skills/secret/SKILL.md": "---\ndescription: Only for people.\ndisable-model-invocation: true\n---\nhidden",
  });
}

describe("skills with progressive disclosure", () => {
  it("lists only name and description; a path-scoped skill appears after a matching file is read, not before", async () => {
    const project = scratch.dir("agent-skills-");
    const plugins = scratch.dir("agent-skills-plugins-");
    writeFileSync(join(project.path, "notes.md"), "notes");
    writeFileSync(join(project.path, "index.ts"), "export {}");
    const model = await scratch.startModel([
      { content: [{ type: "tool_use", name: "Read", input: { file_path: "notes.md" } }] },
      { content: [{ type: "tool_use", name: "Read", input: { file_path: join(project.path, "index.ts") } }] },
      { content: [{ type: "text", text: "ok" }] },
    ]);
    const events = await collect(
      { client: testClient(model.url), env: { projectDir: project.path, sandbox: "auto", hiddenPaths: [] }, plugins: [stylePlugin(plugins.path)], pluginTools: fileTools(project.path) },
      "read",
    );
    const [first, second, third] = model.requests.map(systemText);
    expect(first).toContain("- style:review: Review a change. When asked for a review.");
    expect(first).not.toContain("Review with focus");
    expect(first).not.toContain("style:secret");
    expect(first).not.toContain("style:ts-style");
    expect(second).not.toContain("style:ts-style");
    expect(third).toContain("- style:ts-style: TypeScript conventions.");
    expect(events).toContainEqual({ type: "skill_revealed", skill: "style:ts-style", file: join(project.path, "index.ts") });
    expect(model.requests[0]!.tools!.map((t) => t.name)).toEqual(["Read", "Write", "Skill"]);
  });

  it("the Skill tool loads a visible skill's body with $ARGUMENTS and plugin variables, and refuses hidden ones", async () => {
    const project = scratch.dir("agent-skills-");
    const plugins = scratch.dir("agent-skills-plugins-");
    const plugin = stylePlugin(plugins.path);
    const model = await scratch.startModel([
      { content: [{ type: "tool_use", id: "a", name: "Skill", input: { skill: "style:review", args: "error handling" } }, { type: "tool_use", id: "b", name: "Skill", input: { skill: "ts-style" } }] },
      { content: [{ type: "text", text: "ok" }] },
    ]);
    await collect({ client: testClient(model.url), env: { projectDir: project.path, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], permissions: { mode: "ask" } }, "review");
    const [loaded, hidden] = toolResults(model.requests[1]!);
    expect(loaded!.content).toBe(`Base directory for this skill: ${join(plugin.root, "skills/review")}\n\nReview with focus on error handling.`);
    expect(hidden).toMatchObject({ is_error: true, content: "Unknown skill: ts-style. Available skills: style:review" });
  });
});

describe("a skill's allowed-tools", () => {
  it("once the skill is loaded, the calls its rules cover run without a prompt; others still need one, and deny rules still win", async () => {
    const project = scratch.dir("agent-skills-");
    const plugins = scratch.dir("agent-skills-plugins-");
    writeFileSync(join(project.path, "a.md"), "a");
    const plugin = writePlugin(plugins.path, "notes", {
      "skills/jot/SKILL.md": "---\ndescription: Jot notes down.\nallowed-tools: Write(notes/**), Read(a.md)\n---\nWrite notes under notes/.",
    });
    const write = (id: string, file: string) => ({ content: [{ type: "tool_use" as const, id, name: "Write", input: { file_path: file, content: "x" } }] });
    const model = await scratch.startModel([
      write("w0", "notes/early.md"),
      { content: [{ type: "tool_use", id: "s1", name: "Skill", input: { skill: "notes:jot" } }] },
      write("w1", "notes/one.md"),
      write("w2", "elsewhere.md"),
      { content: [{ type: "tool_use", id: "r1", name: "Read", input: { file_path: "a.md" } }] },
      { content: [{ type: "text", text: "done" }] },
    ]);
    const events = await collect(
      { client: testClient(model.url), env: { projectDir: project.path, sandbox: "auto", hiddenPaths: [] }, plugins: [plugin], pluginTools: fileTools(project.path), permissions: { mode: "ask", deny: ["Read(a.md)"] } },
      "jot",
    );
    const permissions = events.filter((e) => e.type === "permission").map((e) => `${(e as { tool: string }).tool} ${(e as { decision: string }).decision}`);
    expect(permissions).toEqual(["Write deny", "Skill allow", "Write allow", "Write deny", "Read deny"]);
    expect(events).toContainEqual({ type: "permission", tool: "Write", decision: "allow", reason: "allowed by the skill notes:jot (allowed-tools: Write(notes/**))" });
    expect(toolResults(model.requests[4]!)[0]).toMatchObject({ tool_use_id: "w2", is_error: true });
  });
});
