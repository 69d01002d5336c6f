import { afterEach, describe, expect, it } from "vitest";
import { sessionContextReport } from "../../host/context/session-context-report.js";
import { estimateTokens } from "../../host/context/estimate-tokens.js";
import { toolTokens } from "../../host/context/plugin-context-cost.js";
import { runSession } from "../../host/engine/run-session.js";
import { buildSession } from "../../host/session/build-session.js";
import { openSession, type OpenSession } from "../../host/session/open-session.js";
import { requireTool } from "../support/real-parts.js";
import { startScriptedModel, systemText, type ScriptedModel } from "../support/scripted-model.js";
import { noHooks, tempDir, testClient, writePlugin } from "../support/host-session.js";

let model: ScriptedModel | undefined;
let opened: OpenSession | undefined;
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  await opened?.close();
  await model?.close();
  opened = undefined;
  model = undefined;
  dirs.splice(0).forEach((d) => d.cleanup());
});

function dirsFor() {
  const project = tempDir("agent-session-");
  const plugins = tempDir("agent-session-plugins-");
  dirs.push(project, plugins);
  return { project: project.path, plugins: plugins.path };
}

describe("sessions opened from plugins", () => {
  it("runs real plugin hooks in the sandbox: SessionStart context enters the system prompt, UserPromptSubmit output joins the prompt", async () => {
    requireTool("bwrap");
    const d = dirsFor();
    const plugin = writePlugin(d.plugins, "ctx-hooks", {
      "hooks/hooks.json": JSON.stringify({
        hooks: {
          SessionStart: [{ hooks: [{ type: "command", command: 'sh "${CLAUDE_PLUGIN_ROOT}/hooks/start.sh"' }] }],
          UserPromptSubmit: [{ hooks: [{ type: "command", command: "echo remember the style guide" }] }],
        },
      }),
      "hooks/start.sh": `echo '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"context from a SessionStart hook"}}'\n`,
    });
    model = await startScriptedModel([{ content: [{ type: "text", text: "ok" }] }]);
    opened = await openSession({ plugins: [plugin], env: { projectDir: d.project, sandbox: "auto", hiddenPaths: [] }, client: testClient(model.url), model: "claude-test-1", maxTurns: 3, permissions: { mode: "ask" } });
    const events = [];
    for await (const e of runSession(opened.session, "hello", new AbortController().signal)) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "end_turn" });
    expect(systemText(model.requests[0]!)).toContain("# Session context\ncontext from a SessionStart hook");
    expect(model.requests[0]!.messages[0]!.content).toEqual([
      { type: "text", text: "hello" },
      { type: "text", text: expect.stringContaining("remember the style guide") },
    ]);
  });

  it("offers the LSP tool when a plugin brings a language server, and charges its schema to that plugin", async () => {
    const d = dirsFor();
    const plugin = writePlugin(d.plugins, "ts-lsp", {
      ".lsp.json": JSON.stringify({ typescript: { command: "typescript-language-server", args: ["--stdio"], extensionToLanguage: { ".ts": "typescript" } } }),
      "skills/lint/SKILL.md": "---\ndescription: Lint things.\n---\nbody",
    });
    opened = await openSession({ plugins: [plugin], env: { projectDir: d.project, sandbox: "auto", hiddenPaths: [] }, client: testClient("http://127.0.0.1:9"), model: "claude-test-1", maxTurns: 3, permissions: { mode: "ask" } });
    const report = sessionContextReport(opened.session, [plugin]);
    const lsp = opened.session.tools().find((t) => t.name === "LSP")!;
    expect(opened.session.tools().map((t) => t.name)).toEqual(["LSP", "Skill"]);
    expect(report.plugins[0]).toMatchObject({ id: "ts-lsp@inline", tools: toolTokens(lsp), toolNames: ["LSP"], skills: estimateTokens("- ts-lsp:lint: Lint things.\n") });
    expect(report.totalTokens).toBe(report.systemPromptTokens + report.toolTokens);
    expect(report.toolTokens).toBe(opened.session.tools().reduce((sum, t) => sum + toolTokens(t), 0));
  });

  it("appends a plugin's forced output style to the system prompt; one that is not forced stays out", () => {
    const d = dirsFor();
    const plain = writePlugin(d.plugins, "plain-style", { "output-styles/plain.md": "---\nname: plain\ndescription: d\n---\nWrite plainly." });
    const forced = writePlugin(d.plugins, "terse", { "output-styles/terse.md": "---\nname: terse\ndescription: d\nforce-for-plugin: true\n---\nAnswer in one sentence." });
    const prompt = (plugins: typeof plain[]) =>
      buildSession({ plugins, env: { projectDir: d.project, sandbox: "auto", hiddenPaths: [] }, pluginTools: [], hooks: noHooks, model: "m", maxTurns: 1, permissions: { mode: "ask" } }).session.systemPrompt();
    expect(prompt([plain])).not.toContain("Write plainly.");
    expect(prompt([plain, forced])).toMatch(/\n\n# Output style\nAnswer in one sentence\.$/);
  });
});
