import { z } from "zod";
import { isHookMatcher } from "./rules.js";

/** The 30 hook events of Claude Code 2.1.197 (reference §10.1). Names are case-sensitive. */
export const hookEvents = [
  "PreToolUse", "PostToolUse", "PostToolUseFailure", "PostToolBatch", "Notification", "UserPromptSubmit",
  "UserPromptExpansion", "SessionStart", "SessionEnd", "Stop", "StopFailure", "SubagentStart", "SubagentStop",
  "PreCompact", "PostCompact", "PermissionRequest", "PermissionDenied", "Setup", "TeammateIdle", "TaskCreated",
  "TaskCompleted", "Elicitation", "ElicitationResult", "ConfigChange", "WorktreeCreate", "WorktreeRemove",
  "InstructionsLoaded", "CwdChanged", "FileChanged", "MessageDisplay",
] as const;
export const hookEventSchema = z.enum(hookEvents);
export type HookEvent = z.infer<typeof hookEventSchema>;

/** Events whose matcher is ignored. */
export const matcherlessEvents: readonly HookEvent[] = [
  "UserPromptSubmit", "PostToolBatch", "Stop", "TeammateIdle", "TaskCreated", "TaskCompleted",
  "WorktreeCreate", "WorktreeRemove", "MessageDisplay", "CwdChanged",
];

const handlerCommon = {
  if: z.string().optional(),
  timeout: z.number().positive().optional(),
  statusMessage: z.string().optional(),
  once: z.boolean().optional(),
};

export const hookHandlerSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("command"),
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    shell: z.enum(["bash", "powershell"]).optional(),
    async: z.boolean().optional(),
    asyncRewake: z.boolean().optional(),
    ...handlerCommon,
  }),
  z.looseObject({
    type: z.literal("http"),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).optional(),
    allowedEnvVars: z.array(z.string()).optional(),
    ...handlerCommon,
  }),
  z.looseObject({ type: z.literal("mcp_tool"), server: z.string(), tool: z.string(), input: z.record(z.string(), z.unknown()).optional(), ...handlerCommon }),
  z.looseObject({ type: z.literal("prompt"), prompt: z.string(), model: z.string().optional(), ...handlerCommon }),
  z.looseObject({ type: z.literal("agent"), prompt: z.string(), model: z.string().optional(), ...handlerCommon }),
]);
export type HookHandler = z.infer<typeof hookHandlerSchema>;

/**
 * A matcher is "*", "" (all), an exact name list of [A-Za-z0-9_\- ,|], or an unanchored JS regex,
 * which must compile.
 */
export const hookMatcherSchema = z.string().refine(isHookMatcher, { error: (i) => `matcher ${JSON.stringify(i.input)} is not a valid regular expression` });

export const hookMatcherGroupSchema = z.looseObject({
  matcher: hookMatcherSchema.optional(),
  hooks: z.array(hookHandlerSchema),
});
export type HookMatcherGroup = z.infer<typeof hookMatcherGroupSchema>;

/** The inner event map (plugin.json "hooks" inline, settings "hooks"). */
export const hooksMapSchema = z.partialRecord(hookEventSchema, z.array(hookMatcherGroupSchema));
export type HooksMap = z.infer<typeof hooksMapSchema>;

/** hooks/hooks.json */
export const hooksFileSchema = z.looseObject({
  description: z.string().optional(),
  hooks: hooksMapSchema,
});
export type HooksFile = z.infer<typeof hooksFileSchema>;

/** Whether a matcher selects a value (tool name, SessionStart source, …). */
export function matcherMatches(matcher: string | undefined, value: string): boolean {
  if (matcher === undefined || matcher === "" || matcher === "*") return true;
  if (/^[A-Za-z0-9_\- ,|]+$/.test(matcher)) return matcher.split(/[|,]/).map((s) => s.trim()).includes(value);
  try {
    return new RegExp(matcher).test(value);
  } catch {
    return false;
  }
}
