import type Anthropic from "@anthropic-ai/sdk";
import { randomUUID } from "node:crypto";
import { isAgentError } from "../../schemas/errors.js";
import { estimateTokens } from "../context/estimate-tokens.js";
import type { EngineSession, HookRunner } from "./engine-session.js";
import { hasOutcome, hookInput, runSessionStartHooks } from "./hook-input.js";
import { runToolCall } from "./run-tool-call.js";
import type { SessionEvent, StopReason } from "./session-events.js";
import { streamTurn } from "./stream-turn.js";

/**
 * The query loop. SessionStart and UserPromptSubmit hooks → [system prompt → stream a response →
 * run its tool calls → append the results]* until the model ends its turn, --max-turns is reached or
 * the signal aborts; then Stop hooks, which may send the model back to work. A sub-agent's loop
 * (session.agentName) runs SubagentStart and SubagentStop hooks instead, matched on the agent's name.
 * `sessionStart` is the outcome of SessionStart hooks the caller already started (they may run while
 * the plugins' servers start); without it the loop runs them itself.
 */
export async function* runSession(session: EngineSession, prompt: string, signal: AbortSignal, options: { sessionStart?: ReturnType<HookRunner> } = {}): AsyncGenerator<SessionEvent> {
  const messages: Anthropic.MessageParam[] = [];
  let turns = 0;
  const stop = (reason: StopReason, message?: string): SessionEvent => ({ type: "stop", reason, turns, ...(message ? { message } : {}) });
  try {
    const userContent: Anthropic.TextBlockParam[] = [{ type: "text", text: prompt }];
    // a sub-agent's loop runs SubagentStart/SubagentStop (matched on the agent's name) instead of the session's hooks
    const agent = session.agentName ? { agent_id: randomUUID(), agent_type: session.agentName } : undefined;
    if (agent) {
      const start = await session.hooks("SubagentStart", hookInput(session, "SubagentStart", agent), { signal, matchQuery: agent.agent_type });
      if (hasOutcome(start)) yield { type: "hook", event: "SubagentStart", outcome: start };
      for (const context of start.additionalContext) userContent.push({ type: "text", text: context });
    } else {
      const start = await (options.sessionStart ?? runSessionStartHooks(session.hooks, session, signal));
      if (hasOutcome(start)) yield { type: "hook", event: "SessionStart", outcome: start };
      for (const context of start.additionalContext) session.addContext(context);
      const submit = await session.hooks("UserPromptSubmit", hookInput(session, "UserPromptSubmit", { prompt }), { signal });
      if (hasOutcome(submit)) yield { type: "hook", event: "UserPromptSubmit", outcome: submit };
      if (submit.decision === "block" || submit.stopReason) {
        yield stop("blocked_by_hook", submit.reason ?? submit.stopReason);
        return;
      }
      for (const context of submit.additionalContext) userContent.push({ type: "text", text: context });
    }
    messages.push({ role: "user", content: userContent });
    yield {
      type: "session_start",
      model: session.model,
      tools: session.tools().map((t) => t.name),
      systemPromptTokens: estimateTokens(session.systemPrompt()),
    };

    let stopHookActive = false;
    for (;;) {
      if (turns >= session.maxTurns) {
        yield stop("max_turns", `reached the limit of ${session.maxTurns} turns`);
        return;
      }
      turns++;
      const tools = session.tools();
      const message = yield* streamTurn(
        session.client,
        {
          model: session.model,
          max_tokens: session.maxTokens,
          system: session.systemPrompt(),
          messages,
          ...(tools.length ? { tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as Anthropic.Tool.InputSchema })) } : {}),
        },
        signal,
      );
      yield { type: "usage", inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
      messages.push({ role: "assistant", content: message.content as Anthropic.ContentBlockParam[] });

      const calls = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
      if (calls.length) {
        const results: Anthropic.ToolResultBlockParam[] = [];
        for (const call of calls) results.push(yield* runToolCall(session, call, signal));
        messages.push({ role: "user", content: results });
        continue;
      }
      const last = message.content.filter((b): b is Anthropic.TextBlock => b.type === "text").map((b) => b.text).join("");
      const event = agent ? "SubagentStop" : "Stop";
      const stopHooks = await session.hooks(event, hookInput(session, event, { stop_hook_active: stopHookActive, last_assistant_message: last, ...agent }), { signal, ...(agent ? { matchQuery: agent.agent_type } : {}) });
      if (hasOutcome(stopHooks)) yield { type: "hook", event, outcome: stopHooks };
      if (stopHooks.decision === "block" && stopHooks.reason) {
        stopHookActive = true;
        messages.push({ role: "user", content: [{ type: "text", text: `${event} hook feedback: ${stopHooks.reason}` }] });
        continue;
      }
      yield stop((message.stop_reason ?? "end_turn") as StopReason);
      return;
    }
  } catch (error) {
    if (signal.aborted || (isAgentError(error) && error.code === "E_ABORTED")) {
      yield stop("aborted", "cancelled");
      return;
    }
    throw error;
  }
}
