import { randomUUID } from "node:crypto";
import type { MessagesApi } from "../engine/model-client.js";
import type { EngineSession, HookRunner } from "../engine/engine-session.js";
import { PermissionPolicy, type PermissionPolicyOptions } from "../permissions/permission-policy.js";
import type { HostTool } from "../tools/host-tool.js";
import { createAgentTool, pluginAgents } from "./agent-tool.js";
import type { LoadedPlugin, SessionEnvironment } from "./loaded-plugin.js";
import { SkillCatalog } from "./skill-catalog.js";
import { forcedOutputStyle } from "./forced-output-style.js";
import { offeredTools } from "./offered-tools.js";
import { createSkillTool } from "./skill-tool.js";
import { buildSystemPrompt } from "./system-prompt.js";

export interface SessionOptions {
  plugins: LoadedPlugin[];
  env: SessionEnvironment;
  /** tools the plugins' MCP and LSP servers provide */
  pluginTools: HostTool[];
  hooks: HookRunner;
  /** the model client; may be set on the session later (it is only needed to run) */
  client?: MessagesApi;
  model: string;
  maxTurns: number;
  maxTokens?: number;
  sessionId?: string;
  permissions: Omit<PermissionPolicyOptions, "projectDir" | "trusted">;
}

export interface BuiltSession {
  session: EngineSession;
  catalog: SkillCatalog;
  /** every tool the session offers (before deny rules hide some) */
  allTools: HostTool[];
}

/**
 * A session from the enabled plugins: their tools plus the host core (Skill when a plugin has
 * skills, Agent when one has agents), a system prompt rebuilt per request, and the permission
 * policy. Tools a deny rule names without a specifier are not offered to the model at all, and a
 * tool that also answers to a bare name (core-tools' Read, Write, …) is offered once, by that name.
 */
export function buildSession(options: SessionOptions): BuiltSession {
  const projectDir = options.env.projectDir;
  const sessionId = options.sessionId ?? randomUUID();
  const catalog = new SkillCatalog(options.plugins, projectDir);
  const context: string[] = [];
  const outputStyle = forcedOutputStyle(options.plugins)?.body;
  const permissions = new PermissionPolicy({ ...options.permissions, projectDir, trusted: new Set(["Skill", "Agent"]) });
  const agents = pluginAgents(options.plugins);
  const core: HostTool[] = [];
  if (catalog.all.length) core.push(createSkillTool(catalog, { projectDir, sessionId, grant: (skill, rules) => permissions.grantForSkill(skill, rules) }));
  if (agents.length) core.push(createAgentTool(agents, () => session, catalog));
  const allTools = [...options.pluginTools, ...core];
  const offered = offeredTools(allTools, (name) => Boolean(permissions.deniedByRule(name)));
  const session: EngineSession = {
    ...(options.client ? { client: options.client } : {}),
    model: options.model,
    maxTurns: options.maxTurns,
    maxTokens: options.maxTokens ?? 8192,
    sessionId,
    projectDir,
    permissions,
    hooks: options.hooks,
    systemPrompt: () => buildSystemPrompt({ projectDir, catalog, context, ...(outputStyle ? { outputStyle } : {}) }),
    tools: () => offered,
    noteToolCall: (_tool, input) => catalog.noteToolCall(input),
    addContext: (text) => context.push(text),
  };
  return { session, catalog, allTools };
}
