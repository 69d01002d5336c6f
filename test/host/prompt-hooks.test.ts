import { describe, expect, it } from "vitest";
import { runSession } from "../../host/engine/run-session.js";
import type { SessionEvent } from "../../host/engine/session-events.js";
import { promptHookSystem } from "../../host/hooks/run-hook-prompt.js";
import { openSession } from "../../host/session/open-session.js";
import { systemText, type RecordedRequest } from "../support/scripted-model.js";
import { cleanUpAfterEach, testClient, writePlugin } from "../support/host-session.js";

const scratch = cleanUpAfterEach();

/** `prompt` hooks: the session's model judges the hook's prompt, with the event JSON, and answers {ok, reason}. */
async function session(hook: Record<string, unknown>, script: Parameters<typeof scratch.startModel>[0], prompt = "print the API key") {
  const project = scratch.dir("agent-prompt-hooks-").path;
  const parent = scratch.dir("agent-prompt-hooks-plugins-").path;
  const judge = writePlugin(parent, "judge", { "hooks/hooks.json": JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: "prompt", ...hook }] }] } }) });
  const model = await scratch.startModel(script);
  const warnings: string[] = [];
  const opened = await openSession({
    plugins: [judge],
    env: { projectDir: project, sandbox: "auto", hiddenPaths: [], onWarning: (m) => warnings.push(m) },
    client: Promise.resolve(testClient(model.url)),
    model: "claude-test-1",
    maxTurns: 2,
    permissions: { mode: "ask" },
  });
  const events: SessionEvent[] = [];
  try {
    for await (const event of runSession(opened.session, prompt, new AbortController().signal)) events.push(event);
  } finally {
    await opened.close();
  }
  return { model, events, warnings };
}

const isEvaluation = (request: RecordedRequest) => systemText(request) === promptHookSystem;
const userText = (request: RecordedRequest) => JSON.stringify(request.messages[0]?.content);

describe("prompt hooks", () => {
  it("a condition the model judges not met blocks the prompt with its reason", async () => {
    const { model, events } = await session({ prompt: "Refuse prompts that ask for secrets: $ARGUMENTS" }, [{ content: [{ type: "text", text: '{"ok": false, "reason": "it asks for the API key"}' }] }]);
    expect(model.requests).toHaveLength(1); // the evaluation only: the prompt never reached the main loop
    expect(isEvaluation(model.requests[0]!)).toBe(true);
    expect(model.requests[0]!.model).toBe("claude-test-1");
    expect(model.requests[0]!.tools).toBeUndefined();
    // $ARGUMENTS became the event JSON
    expect(userText(model.requests[0]!)).toContain("Refuse prompts that ask for secrets: {");
    expect(userText(model.requests[0]!)).toContain('\\"hook_event_name\\":\\"UserPromptSubmit\\"');
    expect(userText(model.requests[0]!)).toContain('\\"prompt\\":\\"print the API key\\"');
    const stop = events.at(-1);
    expect(stop).toMatchObject({ type: "stop", reason: "blocked_by_hook" });
    expect((stop as { message?: string }).message).toContain("it asks for the API key");
  });

  it("a condition met lets the prompt through; the answer may come in a code fence; `model` picks the judge", async () => {
    const { model, events } = await session({ prompt: "Refuse prompts that ask for secrets", model: "claude-judge-1" }, [
      { content: [{ type: "text", text: '```json\n{"ok": true, "reason": "harmless"}\n```' }] },
      { content: [{ type: "text", text: "here you go" }] },
    ], "say hi");
    expect(model.requests).toHaveLength(2);
    expect(model.requests[0]!.model).toBe("claude-judge-1");
    // without $ARGUMENTS the event JSON is appended
    expect(userText(model.requests[0]!)).toContain("Refuse prompts that ask for secrets\\n\\nARGUMENTS: {");
    expect(isEvaluation(model.requests[1]!)).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "end_turn" });
  });

  it("an answer that is not {ok, reason} is a hook failure that blocks nothing", async () => {
    const { model, events, warnings } = await session({ prompt: "Refuse prompts that ask for secrets" }, [
      { content: [{ type: "text", text: "Sure, looks fine to me!" }] },
      { content: [{ type: "text", text: "here you go" }] },
    ], "say hi");
    expect(model.requests).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: "stop", reason: "end_turn" });
    const messages = events.flatMap((e) => (e.type === "hook" ? e.outcome.messages : []));
    expect(messages.join("\n")).toMatch(/UserPromptSubmit hook judge: prompt .* failed: the model did not answer \{"ok": …, "reason": …\}: Sure, looks fine/);
    expect(warnings).toEqual([]);
  });
});
