import type { EngineSession } from "./engine-session.js";

/** The fields every hook's stdin JSON carries (reference §10.1), plus the event's own. */
export function hookInput(session: EngineSession, event: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    session_id: session.sessionId,
    transcript_path: "",
    cwd: session.projectDir,
    permission_mode: session.permissions.mode,
    hook_event_name: event,
    ...fields,
  };
}

/** True when a hook outcome carries something worth reporting as an event. */
export function hasOutcome(o: { decision?: string; additionalContext: string[]; messages: string[]; stopReason?: string; updatedInput?: unknown }): boolean {
  return Boolean(o.decision || o.stopReason || o.updatedInput || o.additionalContext.length || o.messages.length);
}
