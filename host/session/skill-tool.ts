import type { HostTool } from "../tools/host-tool.js";
import { readMarkdownBody } from "./read-markdown-body.js";
import type { SkillCatalog } from "./skill-catalog.js";
import { substituteVariables } from "./substitute-variables.js";
import { listField } from "../../schemas/frontmatter.js";

/**
 * The host-core `Skill` tool: loads a visible skill's full instructions when the model asks for them.
 * A skill's `allowed-tools` then run without a prompt for the rest of the session (session.grant).
 */
export function createSkillTool(catalog: SkillCatalog, session: { projectDir: string; sessionId: string; grant(skill: string, rules: string[]): void }): HostTool {
  return {
    name: "Skill",
    description:
      "Load the full instructions of a skill listed in the system prompt. Call it with the skill's name (e.g. \"plugin:skill\") before doing the task the skill describes; pass any arguments in args.",
    inputSchema: {
      type: "object",
      properties: {
        skill: { type: "string", description: 'the skill name, e.g. "code-review:review"' },
        args: { type: "string", description: "optional arguments for the skill" },
      },
      required: ["skill"],
      additionalProperties: false,
    },
    async call(input) {
      const name = String(input.skill ?? "").replace(/^\//, "");
      const found = catalog.find(name, catalog.visible());
      if (!found) return { content: `Unknown skill: ${name}. Available skills: ${catalog.visible().map((s) => s.id).join(", ") || "none"}`, isError: true };
      const body = substituteVariables(readMarkdownBody(found.skill), {
        plugin: found.plugin,
        projectDir: session.projectDir,
        sessionId: session.sessionId,
        skillDir: found.skill.dir,
        args: typeof input.args === "string" ? input.args : "",
        argumentNames: listField(found.skill.frontmatter.arguments),
      });
      const allowed = found.skill.frontmatter["allowed-tools"]; // rules such as "Bash(git add:*), Read": split as permission rules, not as a plain list
      if (allowed !== undefined) session.grant(found.id, Array.isArray(allowed) ? allowed : [allowed]);
      return { content: `Base directory for this skill: ${found.skill.dir}\n\n${body}` };
    },
  };
}
