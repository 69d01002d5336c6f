import type { HookEvent } from "../../schemas/hooks.js";
import type { HookRun } from "./run-hook-command.js";

export type HookDecision = "allow" | "deny" | "ask" | "block";

export interface HookOutcome {
  decision?: HookDecision;
  reason?: string;
  updatedInput?: Record<string, unknown>;
  additionalContext: string[];
  stopReason?: string;
  messages: string[];
}

/** Events whose hooks can block with exit 2 (reference §10.1). */
const blockingEvents: readonly HookEvent[] = [
  "PreToolUse", "PermissionRequest", "UserPromptSubmit", "UserPromptExpansion", "Stop", "SubagentStop", "TeammateIdle",
  "TaskCreated", "TaskCompleted", "ConfigChange", "PostToolBatch", "PreCompact", "Elicitation", "ElicitationResult",
];
/** Events whose plain (non-JSON) stdout on exit 0 becomes context. */
const plainStdoutIsContext: readonly HookEvent[] = ["UserPromptSubmit", "UserPromptExpansion", "SessionStart"];
const maxContext = 10_000;

export function emptyOutcome(): HookOutcome {
  return { additionalContext: [], messages: [] };
}

function capped(text: string): string {
  return text.length > maxContext ? `${text.slice(0, maxContext)}… [${text.length - maxContext} characters cut]` : text;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** One hook's result under Claude Code's contract: exit 0 → JSON (or plain context), exit 2 → block, else a warning. */
export function interpretHookRun(event: HookEvent, label: string, run: HookRun, timeoutSeconds: number): HookOutcome {
  const outcome = emptyOutcome();
  if (run.aborted) return outcome;
  if (run.timedOut) {
    outcome.messages.push(`${event} hook ${label} timed out after ${timeoutSeconds}s and was stopped`);
    return outcome;
  }
  if (run.exitCode === 2) {
    const stderr = run.stderr.trim();
    if (blockingEvents.includes(event)) {
      outcome.decision = "block";
      outcome.reason = `[${label}]: ${stderr || "blocked by hook"}`;
    } else if (stderr) outcome.messages.push(`${event} hook ${label}: ${stderr}`);
    return outcome;
  }
  if (run.exitCode !== 0) {
    const firstLine = run.stderr.trim().split("\n")[0] ?? "";
    outcome.messages.push(`${event} hook ${label} failed with ${run.exitCode === null ? "a signal" : `exit code ${run.exitCode}`}${firstLine ? `: ${firstLine}` : ""}`);
    return outcome;
  }
  const text = run.stdout.trim();
  if (!text) return outcome;
  let json: Record<string, unknown> | undefined;
  if (text.startsWith("{")) {
    try {
      json = asRecord(JSON.parse(text));
    } catch {
      outcome.messages.push(`${event} hook ${label} printed invalid JSON; its output was ignored`);
      return outcome;
    }
  }
  if (!json) {
    if (plainStdoutIsContext.includes(event)) outcome.additionalContext.push(capped(text));
    return outcome;
  }
  return fromJson(event, json, outcome);
}

function fromJson(event: HookEvent, json: Record<string, unknown>, outcome: HookOutcome): HookOutcome {
  if (json.continue === false) outcome.stopReason = typeof json.stopReason === "string" ? json.stopReason : `stopped by a ${event} hook`;
  if (typeof json.systemMessage === "string") outcome.messages.push(json.systemMessage);
  if (json.decision === "block") {
    outcome.decision = "block";
    if (typeof json.reason === "string") outcome.reason = json.reason;
  } else if (event === "PreToolUse" && (json.decision === "approve" || json.decision === "allow")) outcome.decision = "allow";
  const specific = asRecord(json.hookSpecificOutput);
  if (!specific) return outcome;
  const permission = specific.permissionDecision;
  if (permission === "allow" || permission === "deny" || permission === "ask") {
    outcome.decision = permission;
    if (typeof specific.permissionDecisionReason === "string") outcome.reason = specific.permissionDecisionReason;
  }
  const requestDecision = asRecord(specific.decision);
  if (event === "PermissionRequest" && (requestDecision?.behavior === "allow" || requestDecision?.behavior === "deny")) {
    outcome.decision = requestDecision.behavior;
    if (typeof requestDecision.message === "string") outcome.reason = requestDecision.message;
    const updated = asRecord(requestDecision.updatedInput);
    if (updated) outcome.updatedInput = updated;
  }
  const updated = asRecord(specific.updatedInput);
  if (updated) outcome.updatedInput = updated;
  if (typeof specific.additionalContext === "string" && specific.additionalContext) outcome.additionalContext.push(capped(specific.additionalContext));
  return outcome;
}

const rank: Record<HookDecision, number> = { allow: 1, ask: 2, deny: 3, block: 4 };

/** Parallel hooks combined: the strongest decision wins (block > deny > ask > allow), its reasons joined; contexts and messages all kept. */
export function combineOutcomes(outcomes: HookOutcome[]): HookOutcome {
  const combined = emptyOutcome();
  for (const o of outcomes) {
    if (o.decision && (!combined.decision || rank[o.decision] > rank[combined.decision])) {
      combined.decision = o.decision;
      combined.reason = o.reason;
    } else if (o.decision && o.decision === combined.decision && o.reason) combined.reason = combined.reason ? `${combined.reason}\n${o.reason}` : o.reason;
    if (o.updatedInput) combined.updatedInput = o.updatedInput;
    if (o.stopReason && !combined.stopReason) combined.stopReason = o.stopReason;
    combined.additionalContext.push(...o.additionalContext);
    combined.messages.push(...o.messages);
  }
  return combined;
}
