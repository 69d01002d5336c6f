import type { PermissionDecision } from "../permissions/permission-decision.js";

/** What a hook run decided, as the engine reads it (host/hooks returns this shape). */
export interface HookOutcomeView {
  decision?: "allow" | "deny" | "ask" | "block";
  reason?: string;
  updatedInput?: Record<string, unknown>;
  additionalContext: string[];
  stopReason?: string;
  messages: string[];
}

export type StopReason = "end_turn" | "max_turns" | "aborted" | "blocked_by_hook" | "max_tokens" | "stop_sequence" | "refusal" | "pause_turn";

/**
 * Everything a session yields, in order. `--json` prints each one as a JSON line. Events from a
 * sub-agent's loop carry `agent` ("<plugin>:<agent>").
 */
export type SessionEvent =
  | { type: "session_start"; model: string; tools: string[]; systemPromptTokens: number }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown>; agent?: string }
  | { type: "tool_result"; id: string; name: string; content: string; isError: boolean; agent?: string }
  | { type: "hook"; event: string; tool?: string; outcome: HookOutcomeView }
  | { type: "permission"; tool: string; decision: PermissionDecision["behavior"]; reason: string; agent?: string }
  | { type: "skill_revealed"; skill: string; file: string }
  | { type: "agent_start"; agent: string; prompt: string }
  | { type: "agent_stop"; agent: string; reason: StopReason; turns: number }
  | { type: "usage"; inputTokens: number; outputTokens: number }
  | { type: "stop"; reason: StopReason; turns: number; message?: string };
