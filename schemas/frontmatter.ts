import { z } from "zod";

const stringOrList = z.union([z.string(), z.array(z.string())]);

/** SKILL.md and commands/*.md frontmatter (reference §10.4); all optional, unknown keys kept. */
export const skillFrontmatterSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  when_to_use: z.string().optional(),
  "argument-hint": z.string().optional(),
  arguments: stringOrList.optional(),
  "disable-model-invocation": z.boolean().optional(),
  "user-invocable": z.boolean().optional(),
  "allowed-tools": stringOrList.optional(),
  "disallowed-tools": stringOrList.optional(),
  model: z.string().optional(),
  effort: z.string().optional(),
  context: z.string().optional(),
  agent: z.string().optional(),
  hooks: z.unknown().optional(),
  paths: stringOrList.optional(),
  shell: z.enum(["bash", "powershell"]).optional(),
});
export type SkillFrontmatter = z.infer<typeof skillFrontmatterSchema>;

/** agents/*.md frontmatter (reference §10.5). */
export const agentFrontmatterSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  tools: stringOrList.optional(),
  disallowedTools: stringOrList.optional(),
  model: z.string().optional(),
  effort: z.string().optional(),
  maxTurns: z.number().int().positive().optional(),
  skills: stringOrList.optional(),
  memory: z.enum(["user", "project", "local"]).optional(),
  background: z.boolean().optional(),
  isolation: z.literal("worktree").optional(),
  color: z.string().optional(),
  initialPrompt: z.string().optional(),
});
export type AgentFrontmatter = z.infer<typeof agentFrontmatterSchema>;

/** output-styles/*.md frontmatter (reference §10.6). */
export const outputStyleFrontmatterSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  "keep-coding-instructions": z.boolean().optional(),
  "force-for-plugin": z.boolean().optional(),
});
export type OutputStyleFrontmatter = z.infer<typeof outputStyleFrontmatterSchema>;

/** Splits a markdown file into its YAML frontmatter text (undefined when absent) and body. */
export function splitFrontmatter(text: string): { yaml: string | undefined; body: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { yaml: undefined, body: text };
  return { yaml: match[1]!, body: text.slice(match[0].length) };
}

/** A list field given as "a, b" or "a b" or [a, b]. */
export function listField(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.split(/[,\s]+/).filter(Boolean);
}

const plainLine = /^([A-Za-z_][\w-]*):[ \t]+([^\s"'`&*!|>%@#[\]{},?:-][^#:]*?)[ \t]*$/;
const needsYaml = /^(?:[-+]?[\d.]|(?:true|false|null|yes|no|on|off|~)$)/i;

/**
 * The common frontmatter — one `key: plain text` per line — read without a YAML parser, which is the
 * slowest part of scanning a plugin. Anything else (quotes, lists, numbers, booleans, comments,
 * continuation lines, repeated keys) returns undefined: parse it with YAML, so results are always YAML's.
 */
export function parsePlainFrontmatter(yaml: string): Record<string, string> | undefined {
  const out = new Map<string, string>();
  for (const line of yaml.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const m = plainLine.exec(line);
    if (!m || needsYaml.test(m[2]!) || out.has(m[1]!)) return undefined;
    out.set(m[1]!, m[2]!);
  }
  return Object.fromEntries(out);
}
