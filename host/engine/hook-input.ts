import type { EngineSession, HookRunner } from "./engine-session.js";

/** what hook inputs say about the session */
export type HookSessionFields = Pick<EngineSession, "sessionId" | "projectDir"> & { permissions: { mode: string } };

/** The fields every hook's stdin JSON carries (reference §10.1), plus the event's own. */
export function hookInput(session: HookSessionFields, event: string, fields: Record<string, unknown>): Record<string, unknown> {
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

/** Runs the SessionStart hooks of a session starting up (source "startup"). */
export function runSessionStartHooks(hooks: HookRunner, session: HookSessionFields, signal: AbortSignal): ReturnType<HookRunner> {
  return hooks("SessionStart", hookInput(session, "SessionStart", { source: "startup" }), { signal, matchQuery: "startup" });
}
