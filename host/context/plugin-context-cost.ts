import type { LoadedPlugin } from "../session/loaded-plugin.js";
import { SkillCatalog } from "../session/skill-catalog.js";
import type { HostTool } from "../tools/host-tool.js";
import { estimateTokens } from "./estimate-tokens.js";

/** What one plugin adds to every request, in estimated tokens. */
export interface PluginContextCost {
  id: string;
  /** skills listed from the start (name + description lines) */
  skills: number;
  /** path-scoped skills: listed only once a matching file is touched */
  deferredSkills: number;
  /** its tools' names, descriptions and input schemas */
  tools: number;
  /** its agents' lines in the Agent tool's description */
  agents: number;
  total: number;
  toolNames: string[];
}

export function toolTokens(tool: HostTool): number {
  return estimateTokens(JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.inputSchema }));
}

/** The context price of each plugin: skill listing, tool schemas and agent lines. */
export function pluginContextCosts(plugins: LoadedPlugin[], tools: HostTool[], projectDir: string): PluginContextCost[] {
  return plugins.map((plugin) => {
    const catalog = new SkillCatalog([plugin], projectDir);
    const listed = catalog.all.filter((s) => !s.paths && s.skill.frontmatter["disable-model-invocation"] !== true);
    const deferred = catalog.all.filter((s) => s.paths);
    const own = tools.filter((t) => t.pluginId === plugin.id);
    const skills = listed.length ? estimateTokens(catalog.listing(listed) + "\n") : 0;
    const agents = plugin.inventory.agents.reduce((sum, a) => sum + estimateTokens(`- ${a.id}: ${a.frontmatter.description ?? ""}\n`), 0);
    const toolCost = own.reduce((sum, t) => sum + toolTokens(t), 0);
    return {
      id: plugin.id,
      skills,
      deferredSkills: deferred.length ? estimateTokens(catalog.listing(deferred) + "\n") : 0,
      tools: toolCost,
      agents,
      total: skills + toolCost + agents,
      toolNames: own.map((t) => t.name),
    };
  });
}
