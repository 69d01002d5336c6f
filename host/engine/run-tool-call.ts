import type Anthropic from "@anthropic-ai/sdk";
import type { EngineSession, EngineToolContext } from "./engine-session.js";
import type { HookOutcomeView } from "./session-events.js";
import { hasOutcome, hookInput } from "./hook-input.js";
import type { SessionEvent } from "./session-events.js";

type ToolResultBlock = Anthropic.ToolResultBlockParam;

/**
 * One tool_use block: PreToolUse hooks → permission check (PermissionRequest hooks before a prompt) →
 * the tool → PostToolUse hooks (PostToolUseFailure when it failed). Yields what
 * happens and returns the tool_result block for the model. A blocking hook or a denial becomes an
 * error result the model can read; the tool never runs then.
 */
export async function* runToolCall(session: EngineSession, block: Anthropic.ToolUseBlock, signal: AbortSignal): AsyncGenerator<SessionEvent, ToolResultBlock> {
  const name = block.name;
  let input = (block.input ?? {}) as Record<string, unknown>;
  const agent = session.agentName ? { agent: session.agentName } : {};
  yield { type: "tool_use", id: block.id, name, input, ...agent };
  const finish = (content: string, isError: boolean): [SessionEvent, ToolResultBlock] => [
    { type: "tool_result", id: block.id, name, content, isError, ...agent },
    { type: "tool_result", tool_use_id: block.id, content, ...(isError ? { is_error: true } : {}) },
  ];

  const tool = session.tools().find((t) => t.name === name);
  if (!tool) {
    const [event, result] = finish(`No such tool: ${name}. Available tools: ${session.tools().map((t) => t.name).join(", ")}`, true);
    yield event;
    return result;
  }

  const pre = await session.hooks("PreToolUse", hookInput(session, "PreToolUse", { tool_name: name, tool_input: input, tool_use_id: block.id }), { signal, matchQuery: name });
  if (hasOutcome(pre)) yield { type: "hook", event: "PreToolUse", tool: name, outcome: pre };
  if (pre.decision === "deny" || pre.decision === "block") {
    const [event, result] = finish(`PreToolUse:${name} hook error: ${pre.reason ?? "blocked by a hook"}`, true);
    yield event;
    return result;
  }
  if (pre.updatedInput) input = pre.updatedInput;

  const hookDecision = pre.decision === "allow" || pre.decision === "ask" ? pre.decision : undefined;
  let requested: HookOutcomeView | undefined;
  const permissionRequest = async (suggestedRule: string) =>
    (requested = await session.hooks("PermissionRequest", hookInput(session, "PermissionRequest", { tool_name: name, tool_input: input, permission_suggestions: [suggestedRule] }), { signal, matchQuery: name }));
  const permission = await session.permissions.check(name, input, { ...(hookDecision ? { hookDecision } : {}), ...agent, signal, permissionRequest });
  if (requested && hasOutcome(requested)) yield { type: "hook", event: "PermissionRequest", tool: name, outcome: requested };
  yield { type: "permission", tool: name, decision: permission.behavior, reason: permission.reason, ...agent };
  if (permission.behavior === "deny") {
    const [event, result] = finish(`Permission to use ${name} was denied: ${permission.reason}`, true);
    yield event;
    return result;
  }
  if (permission.updatedInput) input = permission.updatedInput;

  const outcome = yield* callWithEvents(tool.call.bind(tool), input, signal);
  for (const revealed of session.noteToolCall(name, input)) yield { type: "skill_revealed", ...revealed };

  let content = outcome.content;
  // as in Claude Code: PostToolUse after a call that worked, PostToolUseFailure after one that failed
  const postEvent = outcome.isError ? "PostToolUseFailure" : "PostToolUse";
  const fields = outcome.isError ? { error: content, is_interrupt: signal.aborted } : { tool_response: { content, is_error: false } };
  const post = await session.hooks(postEvent, hookInput(session, postEvent, { tool_name: name, tool_input: input, ...fields, tool_use_id: block.id }), { signal, matchQuery: name });
  if (hasOutcome(post)) yield { type: "hook", event: postEvent, tool: name, outcome: post };
  if (post.decision === "block" && post.reason) content += `\n\n${postEvent}:${name} hook feedback: ${post.reason}`;
  for (const context of post.additionalContext) content += `\n\n${context}`;
  const [event, result] = finish(content, Boolean(outcome.isError));
  yield event;
  return result;
}

/** Runs a tool while passing on the events it reports (a sub-agent's permission prompts, for one). */
async function* callWithEvents(
  call: (input: Record<string, unknown>, ctx: EngineToolContext) => Promise<{ content: string; isError?: boolean }>,
  input: Record<string, unknown>,
  signal: AbortSignal,
): AsyncGenerator<SessionEvent, { content: string; isError?: boolean }> {
  const queue: SessionEvent[] = [];
  let wake: (() => void) | undefined;
  const emit = (event: SessionEvent) => {
    queue.push(event);
    wake?.();
  };
  let settled = false;
  const running = call(input, { signal, emit })
    .catch((error: unknown) => ({ content: `Tool failed: ${error instanceof Error ? error.message : String(error)}`, isError: true }))
    .finally(() => {
      settled = true;
      wake?.();
    });
  while (!settled || queue.length) {
    if (queue.length) {
      yield queue.shift()!;
      continue;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  return running;
}
