/** The outcome of a permission check for one tool call. */
export interface PermissionDecision {
  behavior: "allow" | "deny";
  /** why: the rule that matched, the user's answer, or how to allow it */
  reason: string;
  /** a PermissionRequest hook that allowed the call may change its input */
  updatedInput?: Record<string, unknown>;
}

/** What the PermissionRequest hooks answered for a call that would otherwise ask a person. */
export interface PermissionRequestAnswer {
  decision?: string;
  reason?: string;
  updatedInput?: Record<string, unknown>;
}

/** A question for the person running the session: may `tool` run with `input`? */
export interface PermissionRequest {
  tool: string;
  input: Record<string, unknown>;
  /** the sub-agent asking, when the request bubbled up from one */
  agent?: string;
  /** the rule the person can add to stop being asked, e.g. "Bash(git:*)" */
  suggestedRule: string;
}

/** Answers a permission request: "once", "always" (for the rest of the session) or "deny". */
export type PermissionPrompter = (request: PermissionRequest, signal: AbortSignal) => Promise<"once" | "always" | "deny">;
