import type { SkillCatalog } from "./skill-catalog.js";

export interface SystemPromptParts {
  projectDir: string;
  catalog: SkillCatalog;
  /** context from SessionStart hooks */
  context: readonly string[];
  /** a sub-agent's own instructions, which replace the host's opening */
  agentInstructions?: string;
  /** a plugin's forced output style, appended */
  outputStyle?: string;
}

const opening =
  "You are agent, a minimal coding agent. Everything you can do comes from the plugins enabled in this session: their tools, skills and sub-agents. Use the tools to read and change files; keep answers short.";

/** The system prompt as it stands now: opening, environment, the visible skills, hook context, output style. */
export function buildSystemPrompt(parts: SystemPromptParts): string {
  const sections = [parts.agentInstructions ?? opening, `Working directory: ${parts.projectDir}\nPlatform: ${process.platform}`];
  const listing = parts.catalog.listing();
  if (listing) sections.push(`# Skills\nLoad a skill's full instructions with the Skill tool before following it. Available skills:\n${listing}`);
  if (parts.context.length) sections.push(`# Session context\n${parts.context.join("\n\n")}`);
  if (parts.outputStyle) sections.push(`# Output style\n${parts.outputStyle}`);
  return sections.join("\n\n");
}
