import type { MessagesApi } from "./model-client.js";
import type { PermissionPolicy } from "../permissions/permission-policy.js";
import type { HostTool, ToolCallContext } from "../tools/host-tool.js";
import type { HookOutcomeView, SessionEvent } from "./session-events.js";

/** Runs the hooks of one event (host/hooks does the work; the engine only needs this shape). */
export type HookRunner = (event: string, input: Record<string, unknown>, options: { signal: AbortSignal; matchQuery?: string }) => Promise<HookOutcomeView>;

/** What the query loop needs from a session: the model, the prompt and tools as they are now, policy and hooks. */
export interface EngineSession {
  /** absent while the session is only inspected (--dry-run); set before running it */
  client?: MessagesApi;
  model: string;
  maxTurns: number;
  maxTokens: number;
  sessionId: string;
  projectDir: string;
  permissions: PermissionPolicy;
  hooks: HookRunner;
  /** set for a sub-agent's loop: it runs SubagentStart/SubagentStop hooks, not SessionStart/UserPromptSubmit/Stop */
  agentName?: string;
  /** rebuilt before every request (revealed skills, hook context) */
  systemPrompt(): string;
  tools(): HostTool[];
  /** tells the session a tool call touched files; returns the skills that became visible */
  noteToolCall(tool: string, input: Record<string, unknown>): { skill: string; file: string }[];
  /** context added by hooks (SessionStart), shown in the system prompt from then on */
  addContext(text: string): void;
}

/** The context a tool call gets from the engine: its signal, and a way to report events while it runs. */
export interface EngineToolContext extends ToolCallContext {
  emit(event: SessionEvent): void;
}

export function isEngineToolContext(ctx: ToolCallContext): ctx is EngineToolContext {
  return typeof (ctx as Partial<EngineToolContext>).emit === "function";
}
