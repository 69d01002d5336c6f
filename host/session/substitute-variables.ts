import type { LoadedPlugin } from "./loaded-plugin.js";

export interface SubstitutionContext {
  plugin: LoadedPlugin;
  projectDir: string;
  sessionId: string;
  /** the skill's directory (${CLAUDE_SKILL_DIR}) */
  skillDir?: string;
  /** the text after the command or skill name */
  args?: string;
  /** names from the frontmatter `arguments` field, for $name */
  argumentNames?: string[];
}

/**
 * Fills a skill, command or agent body (reference §10.4): $ARGUMENTS, $ARGUMENTS[N], $N, $name,
 * ${CLAUDE_PLUGIN_ROOT}, ${CLAUDE_PLUGIN_DATA}, ${CLAUDE_PROJECT_DIR}, ${CLAUDE_SKILL_DIR},
 * ${CLAUDE_SESSION_ID} and non-sensitive ${user_config.X}. Arguments given to a body without
 * $ARGUMENTS are appended as "ARGUMENTS: …", as Claude Code does.
 */
export function substituteVariables(body: string, ctx: SubstitutionContext): string {
  const vars: Record<string, string> = {
    CLAUDE_PLUGIN_ROOT: ctx.plugin.root,
    CLAUDE_PLUGIN_DATA: ctx.plugin.dataDir,
    CLAUDE_PROJECT_DIR: ctx.projectDir,
    CLAUDE_SESSION_ID: ctx.sessionId,
    ...(ctx.skillDir ? { CLAUDE_SKILL_DIR: ctx.skillDir } : {}),
  };
  const userConfig = ctx.plugin.manifest?.userConfig ?? {};
  let text = body.replace(/\$\{(CLAUDE_[A-Z_]+|user_config\.([A-Za-z0-9_-]+))\}/g, (whole, name: string, key?: string) => {
    if (key !== undefined) {
      const value = ctx.plugin.config[key];
      return value === undefined || userConfig[key]?.sensitive ? whole : Array.isArray(value) ? value.join(",") : String(value);
    }
    return vars[name] ?? whole;
  });
  const args = ctx.args?.trim() ?? "";
  const positional = args ? args.split(/\s+/) : [];
  const usesArguments = /\$ARGUMENTS|\$\d/.test(text) || (ctx.argumentNames ?? []).some((n) => text.includes(`$${n}`));
  text = text
    .replace(/\$ARGUMENTS\[(\d+)\]/g, (_, i: string) => positional[Number(i)] ?? "")
    .replace(/\$ARGUMENTS/g, args)
    .replace(/\$(\d+)/g, (_, i: string) => positional[Number(i)] ?? "");
  (ctx.argumentNames ?? []).forEach((name, i) => {
    text = text.replace(new RegExp(`\\$${name}\\b`, "g"), positional[i] ?? "");
  });
  if (args && !usesArguments) text += `\n\nARGUMENTS: ${args}`;
  return text;
}
