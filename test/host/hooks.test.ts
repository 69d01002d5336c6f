import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHooks, type HookEventName } from "../../host/hooks/run-hooks.js";
import type { LoadedPlugin } from "../../host/session/loaded-plugin.js";
import { startForwardProxy } from "../support/forward-proxy.js";
import { requireTool } from "../support/real-parts.js";
import { loadPlugin, makeArea } from "./loaded-plugin-fixture.js";

const hooksJson = (hooks: Record<string, unknown>) => JSON.stringify({ hooks });
const command = (cmd: string, extra: Record<string, unknown> = {}) => ({ type: "command", command: cmd, ...extra });

describe("runHooks (real hook commands under bubblewrap)", () => {
  const area = makeArea("agent-hooks-");
  let guard: LoadedPlugin;
  let context: LoadedPlugin;
  let slow: LoadedPlugin;
  let safety: LoadedPlugin;
  const signal = () => new AbortController().signal;
  const toolInput = (tool: string, input: Record<string, unknown>) => ({ session_id: "s-1", tool_name: tool, tool_input: input, tool_use_id: "toolu_1" });
  const run = (plugins: LoadedPlugin[], event: HookEventName, input: Record<string, unknown>, matchQuery?: string) =>
    runHooks(plugins, area.env, event, input, { signal: signal(), ...(matchQuery ? { matchQuery } : {}) });

  beforeAll(() => {
    requireTool("bwrap");
    writeFileSync(join(area.workspace, "notes.txt"), "workspace text\n");
    guard = loadPlugin(
      area.plugin("guard", {
        ".claude-plugin/plugin.json": JSON.stringify({ name: "guard", version: "1.0.0" }),
        "hooks/hooks.json": hooksJson({
          PreToolUse: [
            { matcher: "Bash", hooks: [command('sh "${CLAUDE_PLUGIN_ROOT}/hooks/no-rm.sh"')] },
            { matcher: "Write|Edit", hooks: [command('sh "${CLAUDE_PLUGIN_ROOT}/hooks/deny-env.sh"')] },
            { matcher: "mcp__.*__fetch", hooks: [command('sh "${CLAUDE_PLUGIN_ROOT}/hooks/rewrite.sh"')] },
            { matcher: "Read", hooks: [command("exit 1"), command('echo "{\\"hookSpecificOutput\\":{\\"hookEventName\\":\\"PreToolUse\\",\\"permissionDecision\\":\\"ask\\"}}"')] },
          ],
          PostToolUse: [{ matcher: "Bash", hooks: [command('echo \'{"decision":"block","reason":"tests failed"}\''), command('touch "$CLAUDE_PROJECT_DIR/hooked.txt"')] }],
        }),
        "hooks/no-rm.sh": 'input=$(cat)\ncase "$input" in *"rm -rf"*) echo "no rm -rf here" >&2; exit 2;; esac\nexit 0\n',
        "hooks/deny-env.sh":
          'cat > /dev/null\necho \'{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"never touch .env"}}\'\n',
        "hooks/rewrite.sh": 'cat > /dev/null\necho \'{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"url":"http://127.0.0.1/safe"}}}\'\n',
      }),
      area.dataDir("guard"),
    );
    context = loadPlugin(
      area.plugin("ctx", {
        ".claude-plugin/plugin.json": JSON.stringify({
          name: "ctx",
          version: "1.0.0",
          userConfig: {
            endpoint: { type: "string", title: "Endpoint", description: "e", default: "https://default.invalid" },
            token: { type: "string", title: "Token", description: "t", sensitive: true },
          },
          hooks: {
            SessionStart: [{ matcher: "startup", hooks: [command('sh "${CLAUDE_PLUGIN_ROOT}/start.sh" "${user_config.endpoint}"')] }],
            UserPromptSubmit: [{ hooks: [command("cat $CLAUDE_PROJECT_DIR/notes.txt; touch $CLAUDE_PROJECT_DIR/written.txt 2>/dev/null || echo workspace-read-only")] }],
            Stop: [{ hooks: [command('echo \'{"continue":false,"stopReason":"budget spent","systemMessage":"stopping now"}\'')] }],
            Notification: [{ hooks: [command('echo "${user_config.missing_key}"')] }],
          },
        }),
        "start.sh": [
          "input=$(cat)",
          'printf \'{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"endpoint=%s root=%s data=%s project=%s opt=%s token=%s stdin=%s"}}\' \\',
          '  "$1" "$CLAUDE_PLUGIN_ROOT" "$CLAUDE_PLUGIN_DATA" "$CLAUDE_PROJECT_DIR" "$CLAUDE_PLUGIN_OPTION_ENDPOINT" "${CLAUDE_PLUGIN_OPTION_TOKEN:-unset}" "$(printf %s "$input" | tr -d \'"\')"',
          "",
        ].join("\n"),
      }),
      area.dataDir("ctx"),
      { config: { token: "s3cret" } },
    );
    slow = loadPlugin(
      area.plugin("slow", {
        ".claude-plugin/plugin.json": JSON.stringify({ name: "slow", version: "1.0.0", hooks: { PreToolUse: [{ matcher: "*", hooks: [command("sleep 30", { timeout: 1 })] }] } }),
      }),
      area.dataDir("slow"),
    );
    const safetyRoot = join(process.cwd(), "fixtures/marketplaces/agent-builtin/plugins/safety-hooks");
    safety = loadPlugin(safetyRoot, area.dataDir("safety"), { marketplace: "agent-builtin" });
  });

  afterAll(() => area.remove());

  it("exit 2 blocks a PreToolUse call with stderr as the reason; a harmless call passes", async () => {
    const blocked = await run([guard], "PreToolUse", toolInput("Bash", { command: "rm -rf /" }), "Bash");
    expect(blocked.decision).toBe("block");
    expect(blocked.reason).toContain("no rm -rf here");
    const fine = await run([guard], "PreToolUse", toolInput("Bash", { command: "ls" }), "Bash");
    expect(fine).toEqual({ additionalContext: [], messages: [] });
  });

  it("JSON permissionDecision deny comes back with its reason", async () => {
    expect(await run([guard], "PreToolUse", toolInput("Write", { file_path: ".env", content: "x" }), "Write")).toMatchObject({ decision: "deny", reason: "never touch .env" });
  });

  it("a regex matcher selects MCP tools and updatedInput replaces the tool input", async () => {
    const outcome = await run([guard], "PreToolUse", toolInput("mcp__plugin_web_net__fetch", { url: "http://evil.invalid" }), "mcp__plugin_web_net__fetch");
    expect(outcome).toMatchObject({ decision: "allow", updatedInput: { url: "http://127.0.0.1/safe" } });
  });

  it("a non-zero exit other than 2 is a non-blocking message; the other hook's decision stands", async () => {
    const outcome = await run([guard], "PreToolUse", toolInput("Read", { file_path: "a" }), "Read");
    expect(outcome.decision).toBe("ask");
    expect(outcome.messages).toEqual([expect.stringContaining("failed with exit code 1")]);
  });

  it("PostToolUse decision block carries its reason; hooks read the workspace but cannot write it", async () => {
    const outcome = await run([guard], "PostToolUse", { ...toolInput("Bash", { command: "npm test" }), tool_response: { content: "1 failed" } }, "Bash");
    expect(outcome).toMatchObject({ decision: "block", reason: "tests failed" });
    expect(existsSync(join(area.workspace, "hooked.txt"))).toBe(false);
    const prompt = await run([context], "UserPromptSubmit", { prompt: "hi" });
    expect(prompt.additionalContext).toEqual(["workspace text\nworkspace-read-only"]);
  });

  it("SessionStart context: stdin JSON, plugin env, option env (sensitive only when approved), user_config default substituted", async () => {
    const outcome = await run([context], "SessionStart", { source: "startup" }, "startup");
    const [text] = outcome.additionalContext;
    expect(text).toContain("endpoint=https://default.invalid ");
    expect(text).toContain(`root=${join(area.base, "plugins", "ctx")} data=${area.dataDir("ctx")} project=${area.workspace}`);
    expect(text).toContain("opt=https://default.invalid token=unset");
    expect(text).toContain("hook_event_name:SessionStart");
    expect(text).toContain("session_id:");
    expect(text).toContain(`cwd:${area.workspace}`);
    expect(await run([context], "SessionStart", { source: "resume" }, "resume")).toEqual({ additionalContext: [], messages: [] });
  });

  it("continue:false gives a stop reason and systemMessage a message", async () => {
    expect(await run([context], "Stop", { stop_hook_active: false })).toMatchObject({ stopReason: "budget spent", messages: ["stopping now"] });
  });

  it("a command naming an option with no value and no default is skipped with a message", async () => {
    const outcome = await run([context], "Notification", { message: "x" });
    expect(outcome.messages).toEqual([expect.stringContaining('"missing_key" has no value and no default')]);
  });

  it("an async hook runs in the background: it cannot block, and the call does not wait for it", async () => {
    const marker = join(area.dataDir("bg"), "ran");
    const bg = loadPlugin(
      area.plugin("bg", {
        ".claude-plugin/plugin.json": JSON.stringify({
          name: "bg",
          version: "1.0.0",
          hooks: { PostToolUse: [{ hooks: [command('sleep 1; touch "$CLAUDE_PLUGIN_DATA/ran"; echo "no" >&2; exit 2', { async: true })] }] },
        }),
      }),
      area.dataDir("bg"),
    );
    const outcome = await run([bg], "PostToolUse", toolInput("Bash", { command: "ls" }), "Bash");
    expect(outcome).toEqual({ additionalContext: [], messages: [] });
    expect(existsSync(marker)).toBe(false);
    for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(marker)).toBe(true);
  });

  it("a hook past its timeout is stopped and reported, without a decision", async () => {
    const outcome = await run([slow], "PreToolUse", toolInput("Bash", { command: "ls" }), "Bash");
    expect(outcome.decision).toBeUndefined();
    expect(outcome.messages).toEqual([expect.stringContaining("timed out after 1s")]);
  });

  it("the built-in safety-hooks plugin blocks rm -rf under both Bash names, and lets ls through", async () => {
    for (const tool of ["Bash", "mcp__plugin_core-tools_core-tools__Bash"]) {
      const outcome = await run([safety], "PreToolUse", toolInput(tool, { command: "rm -rf build" }), tool);
      expect(outcome.decision).toBe("block");
      expect(outcome.reason).toContain("blocked by safety-hooks");
    }
    expect((await run([safety], "PreToolUse", toolInput("Bash", { command: "ls -la" }), "Bash")).decision).toBeUndefined();
  });

  it("hooks of several plugins run together; the strongest decision wins", async () => {
    const outcome = await run([guard, safety], "PreToolUse", toolInput("Bash", { command: "rm -rf x" }), "Bash");
    expect(outcome.decision).toBe("block");
    expect(outcome.reason).toContain("no rm -rf here");
    expect(outcome.reason).toContain("blocked by safety-hooks");
  });

  it("http hooks POST the event within the plugin's network permission; header variables only when allowed", async () => {
    const received: { body: Record<string, unknown>; auth?: string; extra?: string }[] = [];
    const server = createServer((req, res) => {
      if (req.url === "/hop") return void res.writeHead(307, { location: "/hook" }).end();
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push({ body: JSON.parse(body), auth: req.headers.authorization, extra: req.headers["x-extra"] as string | undefined });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: "remote says no" } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const proxy = await startForwardProxy();
    process.env.HOOK_TOKEN = "tok-1";
    process.env.NOT_ALLOWED = "leak";
    const httpHooks = (name: string, permissions?: Record<string, unknown>, target = url) =>
      loadPlugin(
        area.plugin(name, {
          ".claude-plugin/plugin.json": JSON.stringify({
            name,
            version: "1.0.0",
            ...(permissions ? { permissions } : {}),
            hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "http", url: target, headers: { Authorization: "Bearer ${HOOK_TOKEN}", "X-Extra": "${NOT_ALLOWED:-none}" }, allowedEnvVars: ["HOOK_TOKEN", "NOT_ALLOWED"] }] }] },
          }),
        }),
        area.dataDir(name),
      );
    try {
      const allowed = await run([httpHooks("remote", { network: { allow: ["127.0.0.1"] }, env: ["HOOK_TOKEN"] })], "PreToolUse", toolInput("Bash", { command: "ls" }), "Bash");
      expect(allowed).toMatchObject({ decision: "deny", reason: "remote says no" });
      expect(received).toEqual([{ body: expect.objectContaining({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "ls" } }), auth: "Bearer tok-1", extra: "none" }]);

      const offline = await run([httpHooks("offline")], "PreToolUse", toolInput("Bash", { command: "ls" }), "Bash");
      expect(offline.decision).toBeUndefined();
      expect(offline.messages).toEqual([expect.stringContaining("outside the plugin's approved network permission")]);
      expect(received).toHaveLength(1);

      // through the host's HTTP_PROXY, as every request agent makes
      process.env.HTTP_PROXY = proxy.url;
      const proxied = await run([httpHooks("proxied", { network: { allow: ["127.0.0.1"] }, env: ["HOOK_TOKEN"] })], "PreToolUse", toolInput("Bash", { command: "pwd" }), "Bash");
      expect(proxied).toMatchObject({ decision: "deny", reason: "remote says no" });
      expect(proxy.seen).toEqual([`POST ${url}`]);
      expect(received).toHaveLength(2);

      // a redirect is not followed, with or without the proxy: it could lead outside the permitted hosts
      for (const via of [proxy.url, undefined]) {
        if (via) process.env.HTTP_PROXY = via;
        else delete process.env.HTTP_PROXY;
        const redirected = await run([httpHooks("hop", { network: { allow: ["127.0.0.1"] }, env: ["HOOK_TOKEN"] }, url.replace("/hook", "/hop"))], "PreToolUse", toolInput("Bash", { command: "ls" }), "Bash");
        expect(redirected.decision).toBeUndefined();
        expect(redirected.messages).toEqual([expect.stringContaining("HTTP 307: http hooks do not follow redirects")]);
      }
      expect(received).toHaveLength(2);
    } finally {
      delete process.env.HOOK_TOKEN;
      delete process.env.NOT_ALLOWED;
      delete process.env.HTTP_PROXY;
      await proxy.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
