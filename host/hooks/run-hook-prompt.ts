import type { PromptHandler } from "./collect-hook-handlers.js";
import type { HookRun } from "./run-hook-command.js";
import { withDeadline } from "./with-deadline.js";

/** Asks the session's model one question (no tools) and returns its text answer. */
export type ModelAsker = (request: { model?: string; system: string; prompt: string }, signal: AbortSignal) => Promise<string>;

/** What a prompt hook's model is told (Claude Code's evaluator asks for the same two shapes). */
export const promptHookSystem = `You are evaluating a hook condition for a coding agent. Judge whether the user-provided condition is met.
Your response must be a JSON object with one of these shapes:
- {"ok": true, "reason": "<reason the condition is met>"}
- {"ok": false, "reason": "<reason the condition is not met>"}
Always include a "reason" field.`;

/**
 * A `prompt` hook: the session's model (or the handler's `model`) judges the handler's prompt, with
 * `$ARGUMENTS` replaced by the event JSON (appended as "ARGUMENTS: …" when the prompt has none). Its
 * answer reads like a command hook's exit status: {"ok": true} passes (exit 0), {"ok": false} blocks
 * with the reason (exit 2, so each event treats it as Claude Code does), anything else is a hook
 * failure that blocks nothing (exit 1). No process is started: the hook runs in the host.
 */
export async function runHookPrompt(handler: PromptHandler, eventJson: string, ask: ModelAsker, timeoutMs: number, signal: AbortSignal): Promise<HookRun> {
  const prompt = handler.prompt.includes("$ARGUMENTS") ? handler.prompt.replaceAll("$ARGUMENTS", eventJson) : `${handler.prompt}\n\nARGUMENTS: ${eventJson}`;
  const request = { ...(handler.model ? { model: handler.model } : {}), system: promptHookSystem, prompt };
  const result = await withDeadline((stop) => ask(request, stop), timeoutMs, signal);
  if (!result.ok) return { exitCode: 1, stdout: "", stderr: `the model request failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`, timedOut: result.timedOut, aborted: result.aborted };
  const verdict = parseVerdict(result.value);
  if (!verdict) return { exitCode: 1, stdout: "", stderr: `the model did not answer {"ok": …, "reason": …}: ${result.value.trim().slice(0, 200)}`, timedOut: false, aborted: false };
  return verdict.ok ? { exitCode: 0, stdout: "", stderr: "", timedOut: false, aborted: false } : { exitCode: 2, stdout: "", stderr: verdict.reason || "condition not met", timedOut: false, aborted: false };
}

/** The {ok, reason} object in a model's answer (bare, or in a ```json fence, or among other words). */
function parseVerdict(text: string): { ok: boolean; reason: string } | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    const value = JSON.parse(text.slice(start, end + 1)) as { ok?: unknown; reason?: unknown };
    if (typeof value.ok !== "boolean") return undefined;
    return { ok: value.ok, reason: typeof value.reason === "string" ? value.reason : "" };
  } catch {
    return undefined;
  }
}
