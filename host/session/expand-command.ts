import { AgentError } from "../../schemas/errors.js";
import { listField, type SkillFrontmatter } from "../../schemas/frontmatter.js";
import type { LoadedPlugin } from "./loaded-plugin.js";
import { readMarkdownBody } from "./read-markdown-body.js";
import { substituteVariables } from "./substitute-variables.js";

interface Invocable {
  id: string;
  name: string;
  plugin: LoadedPlugin;
  component: { file?: string; content?: string; frontmatter: SkillFrontmatter };
  skillDir?: string;
}

/** Everything a person can invoke as `/name`: user-invocable skills, and commands (a skill of the same name wins). */
export function invocables(plugins: LoadedPlugin[]): Invocable[] {
  return plugins.flatMap((plugin) => {
    const skills = plugin.inventory.skills.filter((s) => s.frontmatter["user-invocable"] !== false).map((s) => ({ id: s.id, name: s.name, plugin, component: s, skillDir: s.dir }));
    const taken = new Set(plugin.inventory.skills.map((s) => s.id));
    return [...plugin.inventory.commands.filter((c) => !taken.has(c.id)).map((c) => ({ id: c.id, name: c.name, plugin, component: c })), ...skills];
  });
}

/**
 * Expands a prompt of the form `/name args` or `/plugin:name args` into the command's body with
 * $ARGUMENTS filled in; any other prompt comes back unchanged. An unknown or ambiguous name is an
 * error that lists the candidates.
 */
export function expandCommand(prompt: string, plugins: LoadedPlugin[], session: { projectDir: string; sessionId: string }): string {
  const match = /^\/([A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?)(?:\s+([\s\S]*))?$/.exec(prompt.trim());
  if (!match) return prompt;
  const [, name, args = ""] = match;
  const all = invocables(plugins);
  const hits = all.filter((c) => c.id === name);
  const found = hits.length ? hits : all.filter((c) => c.name === name);
  if (found.length === 0)
    throw new AgentError("E_NOT_FOUND", `unknown command /${name}`, {
      hint: all.length ? `Commands in this session: ${all.map((c) => `/${c.id}`).join(", ")}` : "No enabled plugin provides commands; install one with `agent plugin install <plugin>`.",
      details: { command: name },
    });
  if (found.length > 1)
    throw new AgentError("E_AMBIGUOUS", `/${name} is provided by more than one plugin`, { hint: `Use one of: ${found.map((c) => `/${c.id}`).join(", ")}`, details: { command: name } });
  const command = found[0]!;
  return substituteVariables(readMarkdownBody(command.component), {
    plugin: command.plugin,
    projectDir: session.projectDir,
    sessionId: session.sessionId,
    ...(command.skillDir ? { skillDir: command.skillDir } : {}),
    args: args.trim(),
    argumentNames: listField(command.component.frontmatter.arguments),
  });
}
