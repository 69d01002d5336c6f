import { matcherlessEvents, matcherMatches, type HookEvent, type HookHandler } from "../../schemas/hooks.js";
import { parsePermissionRule, ruleMatches } from "../permissions/permission-rule.js";
import type { LoadedPlugin } from "../session/loaded-plugin.js";

export type CommandHandler = Extract<HookHandler, { type: "command" }>;
export type HttpHandler = Extract<HookHandler, { type: "http" }>;
export type McpToolHandler = Extract<HookHandler, { type: "mcp_tool" }>;
export type PromptHandler = Extract<HookHandler, { type: "prompt" }>;

export interface SelectedHook {
  plugin: LoadedPlugin;
  handler: CommandHandler | HttpHandler | McpToolHandler | PromptHandler;
}

export interface SelectOptions {
  matchQuery?: string;
  /** tool events: the call, for handlers with an `if` rule */
  toolName?: string;
  toolInput?: Record<string, unknown>;
  projectDir: string;
  warn(message: string): void;
}

const toolEvents: readonly HookEvent[] = ["PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionRequest", "PermissionDenied"];

/**
 * The command, http, mcp_tool and prompt handlers of every plugin that an event selects: matcher against matchQuery (ignored for
 * matcherless events), the `if` rule against the tool call, identical handlers of one plugin once.
 */
export function collectHookHandlers(plugins: LoadedPlugin[], event: HookEvent, options: SelectOptions): SelectedHook[] {
  const selected: SelectedHook[] = [];
  const seen = new Set<string>();
  const ignoresMatcher = matcherlessEvents.includes(event);
  for (const plugin of plugins) {
    for (const set of plugin.inventory.hooks) {
      for (const group of set.hooks[event] ?? []) {
        if (!ignoresMatcher && !matcherMatches(group.matcher, options.matchQuery ?? "")) continue;
        for (const handler of group.hooks) {
          if (handler.type === "agent") {
            options.warn(`${plugin.id}: ${event} hook of type "${handler.type}" is not supported by agent; it was skipped`);
            continue;
          }
          if (handler.if !== undefined && !ifRuleMatches(handler.if, event, options)) continue;
          const key = JSON.stringify([plugin.id, handlerIdentity(handler)]);
          if (seen.has(key)) continue;
          seen.add(key);
          selected.push({ plugin, handler });
        }
      }
    }
  }
  return selected;
}

function ifRuleMatches(rule: string, event: HookEvent, options: SelectOptions): boolean {
  if (!toolEvents.includes(event) || options.toolName === undefined) return true;
  try {
    return ruleMatches(parsePermissionRule(rule), options.toolName, options.toolInput ?? {}, options.projectDir, "any-part");
  } catch {
    options.warn(`hook condition "if": "${rule}" is not a permission rule; the hook was skipped`);
    return false;
  }
}

/** What makes two handlers of one plugin the same hook (run once). */
function handlerIdentity(handler: SelectedHook["handler"]): unknown[] {
  if (handler.type === "command") return ["command", handler.command, handler.args ?? null, handler.shell ?? null];
  if (handler.type === "http") return ["http", handler.url, handler.headers ?? null];
  return ["mcp_tool", handler.server, handler.tool, handler.input ?? null];
}
