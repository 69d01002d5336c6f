import type { Agent } from "../../registry/plugin/index.js";
import { listField } from "../../schemas/frontmatter.js";
import type { EngineSession } from "../engine/engine-session.js";
import { isEngineToolContext } from "../engine/engine-session.js";
import { runSession } from "../engine/run-session.js";
import type { StopReason } from "../engine/session-events.js";
import { parsePermissionRule, ruleMatches } from "../permissions/permission-rule.js";
import type { HostTool } from "../tools/host-tool.js";
import type { LoadedPlugin } from "./loaded-plugin.js";
import type { SkillCatalog } from "./skill-catalog.js";
import { readMarkdownBody } from "./read-markdown-body.js";
import { substituteVariables } from "./substitute-variables.js";

export interface PluginAgent {
  /** "<plugin>:<agent>" */
  id: string;
  plugin: LoadedPlugin;
  agent: Agent;
}

export function pluginAgents(plugins: LoadedPlugin[]): PluginAgent[] {
  return plugins.flatMap((plugin) => plugin.inventory.agents.map((agent) => ({ id: agent.id, plugin, agent })));
}

/** Agent models: a full model id is used as is; aliases (sonnet, opus, haiku) and `inherit` keep the parent's. */
function agentModel(frontmatterModel: string | undefined, parent: string): string {
  return frontmatterModel && frontmatterModel.includes("-") ? frontmatterModel : parent;
}

/** The tools a sub-agent sees: its `tools` list (all of the parent's when absent) minus `disallowedTools`, never Agent. */
export function agentTools(agent: Agent, parentTools: HostTool[], projectDir: string): HostTool[] {
  const allow = listField(agent.frontmatter.tools).map(parsePermissionRule);
  const deny = listField(agent.frontmatter.disallowedTools).map(parsePermissionRule);
  const covers = (rules: typeof allow, name: string) => rules.some((r) => ruleMatches({ source: r.source, tool: r.tool }, name, {}, projectDir, "any-part"));
  return parentTools.filter((t) => t.name !== "Agent" && (allow.length === 0 || covers(allow, t.name)) && !covers(deny, t.name));
}

/**
 * The host-core `Agent` tool: runs a plugin agent as a sub-loop with the agent's instructions (and the
 * full text of the skills its `skills` field preloads), its own tool list and maxTurns, and returns its
 * final answer. Its permission checks use the parent's lists
 * plus its disallowedTools; in `bubble` mode its prompts go to the parent's prompter.
 */
export function createAgentTool(agents: PluginAgent[], parent: () => EngineSession, skills?: SkillCatalog): HostTool {
  return {
    name: "Agent",
    description: `Launch a sub-agent to handle a task on its own and report back. Available agents:\n${agents
      .map((a) => `- ${a.id}: ${a.agent.frontmatter.description ?? "(no description)"}${a.agent.frontmatter.tools ? ` (tools: ${listField(a.agent.frontmatter.tools).join(", ")})` : ""}`)
      .join("\n")}`,
    inputSchema: {
      type: "object",
      properties: {
        description: { type: "string", description: "a short (3-5 word) description of the task" },
        prompt: { type: "string", description: "the task for the agent" },
        subagent_type: { type: "string", description: "which agent to use, e.g. \"code-review:reviewer\"" },
      },
      required: ["prompt", "subagent_type"],
      additionalProperties: false,
    },
    async call(input, ctx) {
      const type = String(input.subagent_type ?? "");
      const bare = agents.filter((a) => a.agent.name === type);
      const found = agents.find((a) => a.id === type) ?? (bare.length === 1 ? bare[0] : undefined);
      if (!found) return { content: `Unknown agent: ${type}. Available agents: ${agents.map((a) => a.id).join(", ") || "none"}`, isError: true };
      const p = parent();
      const instructions = [
        substituteVariables(readMarkdownBody(found.agent), { plugin: found.plugin, projectDir: p.projectDir, sessionId: p.sessionId }),
        ...preloadedSkills(found, skills, p),
      ].join("\n\n");
      const tools = agentTools(found.agent, p.tools(), p.projectDir);
      const child: EngineSession = {
        ...p,
        agentName: found.id,
        model: agentModel(found.agent.frontmatter.model, p.model),
        maxTurns: found.agent.frontmatter.maxTurns ?? p.maxTurns,
        permissions: p.permissions.child({ deny: listField(found.agent.frontmatter.disallowedTools) }),
        systemPrompt: () => `${instructions}\n\nWorking directory: ${p.projectDir}`,
        tools: () => tools,
      };
      const emit = isEngineToolContext(ctx) ? ctx.emit : () => {};
      const prompt = String(input.prompt ?? "");
      emit({ type: "agent_start", agent: found.id, prompt });
      // the answer is the text of the agent's last model turn (a turn ends with its usage event)
      let answer = "";
      let turnText = "";
      let reason: StopReason = "end_turn";
      let turns = 0;
      for await (const event of runSession(child, prompt, ctx.signal)) {
        if (event.type === "text") turnText += event.text;
        else if (event.type === "usage") [answer, turnText] = [turnText, ""];
        else if (event.type === "stop") ({ reason, turns } = event);
        else if (event.type !== "session_start") emit(event);
      }
      emit({ type: "agent_stop", agent: found.id, reason, turns });
      if (reason === "aborted") return { content: `${found.id} was cancelled`, isError: true };
      return { content: answer.trim() || `${found.id} finished (${reason}) without a final message` };
    },
  };
}

/** The skills an agent's `skills` field names ("name" looks in the agent's plugin first), each as the Skill tool would load it. */
function preloadedSkills(found: PluginAgent, skills: SkillCatalog | undefined, p: EngineSession): string[] {
  if (!skills) return [];
  return listField(found.agent.frontmatter.skills).flatMap((name) => {
    const skill = (name.includes(":") ? undefined : skills.find(`${found.plugin.name}:${name}`)) ?? skills.find(name);
    if (!skill) return [];
    const body = substituteVariables(readMarkdownBody(skill.skill), { plugin: skill.plugin, projectDir: p.projectDir, sessionId: p.sessionId, skillDir: skill.skill.dir });
    return [`# Skill ${skill.id}\nBase directory for this skill: ${skill.skill.dir}\n\n${body}`];
  });
}
