import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { agent, builtCli } from "../support/run-agent.js";
import { toolResults } from "../support/scripted-model.js";
import { cleanUpAfterEach } from "../support/host-session.js";

const builtin = fileURLToPath(new URL("../../fixtures/marketplaces/agent-builtin/plugins/", import.meta.url));
const codeReview = join(builtin, "code-review");
const coreTools = join(builtin, "core-tools");
const writeTool = "mcp__plugin_core-tools_core-tools__Write";

const scratch = cleanUpAfterEach();

function fresh() {
  const home = scratch.dir("agent-run-home-");
  const project = scratch.dir("agent-run-project-");
  return { home: home.path, project: project.path };
}

const lines = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l));

describe("agent run", () => {
  it("--dry-run reports the system prompt size and each plugin's token cost without calling a model", async () => {
    const { home, project } = fresh();
    const r = await agent(["run", "--dry-run", "--json", "--plugin-dir", codeReview], { env: { AGENT_HOME: home }, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    const report = r.json();
    expect(report.systemPromptTokens).toBeGreaterThan(0);
    expect(report.toolCount).toBe(2);
    expect(report.plugins).toEqual([expect.objectContaining({ id: "code-review@inline", skills: expect.any(Number), agents: expect.any(Number), deferredSkills: expect.any(Number), tools: 0 })]);
    expect(report.plugins[0].skills).toBeGreaterThan(0);
    const text = await agent(["run", "--dry-run", "--plugin-dir", codeReview], { env: { AGENT_HOME: home }, cwd: project });
    expect(text.stdout).toMatch(/System prompt\s+\d+ tokens/);
    expect(text.stdout).toMatch(/code-review@inline\s+\d+\s+skills \d+, tools 0, agents \d+, \+\d+ when path-scoped skills appear/);
  });

  it("reads the prompt from stdin and streams JSON-line events ending in stop", async () => {
    const { home, project } = fresh();
    const model = await scratch.startModel([{ content: [{ type: "text", text: "hi there" }] }]);
    const r = await agent(["run", "--json"], { env: { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" }, cwd: project, stdin: "hello from stdin\n" });
    expect(r.status, r.stderr).toBe(0);
    expect(model.requests[0]!.messages[0]).toEqual({ role: "user", content: [{ type: "text", text: "hello from stdin" }] });
    const events = lines(r.stdout);
    expect(events.map((e) => e.type)).toEqual(["session_start", "text", "usage", "stop"]);
    expect(events.at(-1)).toEqual({ type: "stop", reason: "end_turn", turns: 1 });
  });

  it("streams the same session with agent's client and with the SDK's (AGENT_MODEL_CLIENT=sdk); another value is E_USAGE", async () => {
    const { home, project } = fresh();
    const out = join(project, "out.txt");
    const turns = [{ content: [{ type: "text" as const, text: "Writing it." }, { type: "tool_use" as const, name: writeTool, input: { file_path: out, content: "done\n" } }] }, { content: [{ type: "text" as const, text: "Wrote out.txt." }] }];
    const runs: Record<string, unknown[]> = {};
    for (const kind of ["agent", "sdk"]) {
      const model = await scratch.startModel(turns);
      const r = await agent(["run", "--json", "--permission-mode", "allow", "--plugin-dir", coreTools, "write out.txt"], {
        env: { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: `key-${kind}`, AGENT_MODEL_CLIENT: kind },
        cwd: project,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(out, "utf8")).toBe("done\n");
      rmSync(out);
      expect(model.requests).toHaveLength(2);
      expect(toolResults(model.requests[1]!)).toEqual([expect.objectContaining({ tool_use_id: "toolu_1_1" })]);
      runs[kind] = lines(r.stdout).filter((e) => e.type !== "session_start");
    }
    expect(runs.sdk).toEqual(runs.agent);
    const bad = await agent(["run", "hi"], { env: { AGENT_HOME: home, ANTHROPIC_API_KEY: "k", AGENT_MODEL_CLIENT: "curl" }, cwd: project });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('E_USAGE AGENT_MODEL_CLIENT must be "agent" or "sdk", not "curl"');
  });

  it("/plugin:name expands with $ARGUMENTS (a skill wins over a command of the same name); an unknown command exits 3 listing the commands", async () => {
    const { home, project } = fresh();
    const model = await scratch.startModel([{ content: [{ type: "text", text: "ok" }] }]);
    const env = { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" };
    const r = await agent(["run", "--plugin-dir", codeReview, "/code-review:review error handling"], { env, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("ok\n");
    const sent = (model.requests[0]!.messages[0]!.content as { text: string }[])[0]!.text;
    expect(sent).toMatch(/^# Reviewing a change\n/);
    expect(sent).toMatch(/\nFocus: error handling$/);
    const unknown = await agent(["run", "--plugin-dir", codeReview, "/nope"], { env, cwd: project });
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain("E_NOT_FOUND unknown command /nope");
    expect(unknown.stderr).toContain("/code-review:review");
  });

  it("without a terminal, ask mode denies a tool call with how to allow it; --allowed-tools lets it run; --disallowed-tools hides it", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    const write = { content: [{ type: "tool_use" as const, id: "toolu_w", name: writeTool, input: { file_path: join(project, "out.txt"), content: "hello" } }] };
    const model = await scratch.startModel([write, { content: [{ type: "text", text: "denied" }] }, write, { content: [{ type: "text", text: "written" }] }, { content: [{ type: "text", text: "no tools" }] }]);
    const env = { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" };
    const denied = await agent(["run", "--plugin-dir", coreTools, "write out.txt"], { env, cwd: project });
    expect(denied.status, denied.stderr).toBe(0);
    expect(existsSync(join(project, "out.txt"))).toBe(false);
    const [result] = toolResults(model.requests[1]!);
    expect(result).toMatchObject({ is_error: true });
    expect(String(result!.content)).toContain(`pass --allowed-tools "${writeTool}" or --permission-mode allow`);
    expect(denied.stderr).toContain("stdin is not a terminal");

    const allowed = await agent(["run", "--plugin-dir", coreTools, "--allowed-tools", writeTool, "write out.txt"], { env, cwd: project });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(readFileSync(join(project, "out.txt"), "utf8")).toBe("hello");

    const hidden = await agent(["run", "--json", "--plugin-dir", coreTools, "--permission-mode", "allow", "--disallowed-tools", "mcp__plugin_core-tools_core-tools__Write,mcp__plugin_core-tools_core-tools__Bash", "hi"], { env, cwd: project });
    expect(hidden.status, hidden.stderr).toBe(0);
    const offered = model.requests[4]!.tools!.map((t) => t.name);
    expect(offered).toContain("mcp__plugin_core-tools_core-tools__Read");
    expect(offered).not.toContain(writeTool);
    expect(offered).not.toContain("mcp__plugin_core-tools_core-tools__Bash");
  });

  it("Ctrl-C aborts a running session cleanly: stop event 'aborted', exit 130, no further request", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    const model = await scratch.startModel([{ content: [{ type: "tool_use", name: "mcp__plugin_core-tools_core-tools__Bash", input: { command: "sleep 30" } }] }, { content: [{ type: "text", text: "never" }] }]);
    const child = spawn(process.execPath, [builtCli, "run", "--json", "--permission-mode", "allow", "--plugin-dir", coreTools, "sleep"], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const status = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no exit after SIGINT; stderr: ${err}`))), 30_000);
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes('"type":"tool_use"') && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", (code) => (clearTimeout(timer), resolve(code)));
    });
    expect(status, err).toBe(130);
    expect(lines(out).at(-1)).toMatchObject({ type: "stop", reason: "aborted" });
    expect(model.requests).toHaveLength(1);
  });

  it("text mode: the model's words on stdout; tool calls, results and a hook's block on stderr", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    const model = await scratch.startModel([
      { content: [{ type: "text", text: "Cleaning up." }, { type: "tool_use", name: "mcp__plugin_core-tools_core-tools__Bash", input: { command: "rm -rf build" } }] },
      { content: [{ type: "text", text: "The hook stopped me." }] },
    ]);
    const env = { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" };
    const r = await agent(["run", "--permission-mode", "allow", "--plugin-dir", coreTools, "--plugin-dir", join(builtin, "safety-hooks"), "clean"], { env, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("Cleaning up.\nThe hook stopped me.\n");
    expect(r.stderr).toContain('⏺ mcp__plugin_core-tools_core-tools__Bash({"command":"rm -rf build"})');
    expect(r.stderr).toMatch(/hook PreToolUse hook blocked mcp__plugin_core-tools_core-tools__Bash: .*blocked by safety-hooks: "rm -rf build"/);
    expect(r.stderr).toContain("⎿ PreToolUse:mcp__plugin_core-tools_core-tools__Bash hook error:");
  });

  it("loads installed plugins with their userConfig: only enabled ones, and an option reaches the hook as CLAUDE_PLUGIN_OPTION_*", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    for (const args of [["safety-hooks@agent-builtin", "--config", "extra_patterns=\\bshutdown\\b"], ["code-review@agent-builtin"]]) {
      const install = await agent(["plugin", "install", ...args, "-y"], { env: { AGENT_HOME: home }, cwd: project });
      expect(install.status, install.stderr).toBe(0);
    }
    expect((await agent(["plugin", "disable", "code-review@agent-builtin"], { env: { AGENT_HOME: home }, cwd: project })).status).toBe(0);
    const dry = await agent(["run", "--dry-run", "--json"], { env: { AGENT_HOME: home }, cwd: project });
    expect(dry.json().plugins.map((p: { id: string }) => p.id).sort()).toEqual(["core-tools@agent-builtin", "safety-hooks@agent-builtin"]);

    const model = await scratch.startModel([{ content: [{ type: "tool_use", id: "toolu_s", name: "Bash", input: { command: "shutdown now" } }] }, { content: [{ type: "text", text: "ok" }] }]);
    const r = await agent(["run", "--permission-mode", "allow", "--json", "stop the machine"], { env: { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" }, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(toolResults(model.requests[1]!)[0]).toMatchObject({ tool_use_id: "toolu_s", is_error: true, content: expect.stringContaining('blocked by safety-hooks: "shutdown now" matches /\\bshutdown\\b/') });
  });

  it("only the user turns the sandbox off: --no-sandbox warns that it is off; a project's \"sandbox\": \"off\" is ignored with a warning", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    const off = await agent(["run", "--dry-run", "--no-sandbox", "--plugin-dir", coreTools], { env: { AGENT_HOME: home }, cwd: project });
    expect(off.status, off.stderr).toBe(0);
    expect(off.stderr).toContain("the plugin sandbox is OFF (--no-sandbox)");
    mkdirSync(join(project, ".agent"));
    writeFileSync(join(project, ".agent", "settings.json"), JSON.stringify({ sandbox: "off" }));
    const ignored = await agent(["run", "--dry-run", "--plugin-dir", coreTools], { env: { AGENT_HOME: home }, cwd: project });
    expect(ignored.status, ignored.stderr).toBe(0);
    expect(ignored.stderr).toContain('this project\'s settings ask for "sandbox": "off"; ignored');
    expect(ignored.stderr).not.toContain("sandbox is OFF");
    expect(ignored.stderr).not.toContain("WITHOUT a sandbox");
  });

  it("SessionEnd hooks run once the session is over, with reason \"other\", matched on the reason; --dry-run runs none", async () => {
    requireTool("bwrap");
    const { home, project } = fresh();
    const plugin = scratch.dir("agent-run-plugin-").path;
    mkdirSync(join(plugin, ".claude-plugin"), { recursive: true });
    writeFileSync(join(plugin, ".claude-plugin", "plugin.json"), JSON.stringify({ name: "ender", version: "1.0.0" }));
    mkdirSync(join(plugin, "hooks"));
    writeFileSync(
      join(plugin, "hooks", "hooks.json"),
      JSON.stringify({
        hooks: {
          SessionEnd: [
            { matcher: "other", hooks: [{ type: "command", command: 'cat >> "$CLAUDE_PLUGIN_DATA/end.jsonl"' }] },
            { matcher: "clear", hooks: [{ type: "command", command: 'touch "$CLAUDE_PLUGIN_DATA/cleared"' }] },
          ],
        },
      }),
    );
    const data = join(home, "plugins", "data", "ender-inline");
    const dry = await agent(["run", "--dry-run", "--plugin-dir", plugin], { env: { AGENT_HOME: home }, cwd: project });
    expect(dry.status, dry.stderr).toBe(0);
    expect(existsSync(join(data, "end.jsonl"))).toBe(false);
    const model = await scratch.startModel([{ content: [{ type: "text", text: "bye" }] }]);
    const r = await agent(["run", "--plugin-dir", plugin, "hi"], { env: { AGENT_HOME: home, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" }, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    const ended = readFileSync(join(data, "end.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(ended).toEqual([expect.objectContaining({ hook_event_name: "SessionEnd", reason: "other", cwd: project })]);
    expect(existsSync(join(data, "cleared"))).toBe(false);
  });

  it("refuses to start without model credentials, with the variable to set", async () => {
    const { home, project } = fresh();
    const r = await agent(["run", "hi"], { env: { AGENT_HOME: home }, cwd: project });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("E_USAGE no model credentials: ANTHROPIC_API_KEY is not set");
  });
});
