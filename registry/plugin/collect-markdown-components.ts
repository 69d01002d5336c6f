import { basename, dirname, join } from "node:path";
import { asArray } from "../../schemas/component-path.js";
import {
  agentFrontmatterSchema,
  outputStyleFrontmatterSchema,
  skillFrontmatterSchema,
  type AgentFrontmatter,
  type OutputStyleFrontmatter,
  type SkillFrontmatter,
} from "../../schemas/frontmatter.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import { readMarkdownFrontmatter } from "./read-markdown-component.js";
import { checkInside, childPath, filesWithExtensionIn, kindIn, listDirIn, resolveComponentPath, type ScanContext } from "./scan-context.js";

/** A skill, command, agent or output style found in a plugin. */
export interface MarkdownComponent<F> {
  /** invocation name without the namespace: skill dir name, file name without .md, commands map key */
  name: string;
  /** namespaced "<plugin.json name>:<name>" */
  id: string;
  /** absolute path of the markdown file; absent for inline `content` commands */
  file?: string;
  /** inline markdown of a commands-map entry */
  content?: string;
  frontmatter: F;
  /** default folder, a manifest path, the manifest commands map, or the single root SKILL.md */
  origin: "default" | "manifest" | "root-skill";
}

export type Skill = MarkdownComponent<SkillFrontmatter> & { dir: string };
export type Command = MarkdownComponent<SkillFrontmatter>;
export type Agent = MarkdownComponent<AgentFrontmatter>;
export type OutputStyle = MarkdownComponent<OutputStyleFrontmatter>;

const shadowNote = (folder: string, key: string) => `Default ${folder} folder is ignored because the manifest sets "${key}"`;

/** Notes a default folder the manifest shadows, when it holds markdown files the manifest does not list. */
function noteShadowed(ctx: ScanContext, folder: string, key: string, listed: readonly { file?: string }[]): void {
  const taken = new Set(listed.map((c) => c.file));
  if (filesWithExtensionIn(ctx, join(ctx.root, folder), ".md").some((f) => !taken.has(f))) ctx.notes.push(shadowNote(folder, key));
}

/** skills/<name>/SKILL.md, plus the manifest's extra `skills` paths; a root SKILL.md when there is neither (§2.3). */
export function collectSkills(ctx: ScanContext, manifest: PluginManifest, namespace: string, replaceDefault: boolean): Skill[] {
  const skills: Skill[] = [];
  const seen = new Set<string>();
  const add = (dir: string, origin: Skill["origin"], name = basename(dir)) => {
    const file = childPath(dir, "SKILL.md");
    if (seen.has(file) || kindIn(ctx, file) !== "file" || !checkInside(ctx, file, `${basename(dir)}/SKILL.md`)) return;
    seen.add(file);
    const frontmatter = readMarkdownFrontmatter(ctx, file, "skill", skillFrontmatterSchema);
    skills.push({ name, id: `${namespace}:${name}`, file, dir, frontmatter, origin });
  };
  const scan = (dir: string, origin: Skill["origin"]) => {
    const entries = listDirIn(ctx, dir); // listed first, so the listing answers whether SKILL.md is there
    if (kindIn(ctx, childPath(dir, "SKILL.md")) === "file") return add(dir, origin);
    for (const entry of entries) if (kindIn(ctx, childPath(dir, entry)) === "dir") add(childPath(dir, entry), origin);
  };
  const extra = asArray(manifest.skills);
  const defaultDir = join(ctx.root, "skills");
  if (!(replaceDefault && extra.length > 0)) scan(defaultDir, "default");
  else if (kindIn(ctx, defaultDir) === "dir") ctx.notes.push(shadowNote("skills/", "skills"));
  extra.forEach((rel, i) => {
    const at = Array.isArray(manifest.skills) ? `skills[${i}]` : "skills";
    const resolved = resolveComponentPath(ctx, rel, at);
    if (!resolved) return;
    if (resolved.kind === "dir") scan(resolved.abs, "manifest");
    else if (basename(resolved.abs) === "SKILL.md") add(dirname(resolved.abs), "manifest");
  });
  if (manifest.skills === undefined && kindIn(ctx, defaultDir) !== "dir") {
    const rootSkill = join(ctx.root, "SKILL.md");
    if (kindIn(ctx, rootSkill) === "file") {
      const frontmatter = readMarkdownFrontmatter(ctx, rootSkill, "skill", skillFrontmatterSchema);
      const name = frontmatter.name || basename(ctx.root);
      skills.push({ name, id: `${namespace}:${name}`, file: rootSkill, dir: ctx.root, frontmatter, origin: "root-skill" });
    }
  }
  return skills;
}

/** commands/*.md, or what the manifest's `commands` names instead (paths, or the {name: {source|content}} map). */
export function collectCommands(ctx: ScanContext, manifest: PluginManifest, namespace: string): Command[] {
  const commands: Command[] = [];
  const fromFile = (file: string, origin: Command["origin"], name = basename(file, ".md")) => {
    if (!checkInside(ctx, file, "commands")) return;
    commands.push({ name, id: `${namespace}:${name}`, file, frontmatter: readMarkdownFrontmatter(ctx, file, "command", skillFrontmatterSchema), origin });
  };
  const field = manifest.commands;
  if (field === undefined) {
    filesWithExtensionIn(ctx, join(ctx.root, "commands"), ".md").forEach((f) => fromFile(f, "default"));
    return commands;
  }
  if (typeof field === "object" && !Array.isArray(field)) {
    for (const [name, entry] of Object.entries(field)) {
      if (entry.content !== undefined) {
        const frontmatter = { description: entry.description, "argument-hint": entry.argumentHint, model: entry.model, "allowed-tools": entry.allowedTools };
        commands.push({ name, id: `${namespace}:${name}`, content: entry.content, frontmatter: dropUndefined(frontmatter), origin: "manifest" });
      } else if (entry.source !== undefined) {
        const resolved = resolveComponentPath(ctx, entry.source, `commands[${JSON.stringify(name)}].source`);
        if (resolved?.kind === "file") fromFile(resolved.abs, "manifest", name);
      }
    }
    noteShadowed(ctx, "commands/", "commands", commands);
    return commands;
  }
  asArray(field).forEach((rel, i) => {
    const resolved = resolveComponentPath(ctx, rel, Array.isArray(field) ? `commands[${i}]` : "commands");
    if (!resolved) return;
    if (resolved.kind === "dir") filesWithExtensionIn(ctx, resolved.abs, ".md").forEach((f) => fromFile(f, "manifest"));
    else fromFile(resolved.abs, "manifest");
  });
  noteShadowed(ctx, "commands/", "commands", commands);
  return commands;
}

/** agents/*.md, or the manifest's `agents` files instead. */
export function collectAgents(ctx: ScanContext, manifest: PluginManifest, namespace: string): Agent[] {
  return collectReplacing(ctx, manifest.agents, "agents", "agents/", (file, origin) => {
    const frontmatter = readMarkdownFrontmatter(ctx, file, "agent", agentFrontmatterSchema);
    const name = basename(file, ".md");
    return { name, id: `${namespace}:${name}`, file, frontmatter, origin };
  });
}

/** output-styles/*.md, or the manifest's `outputStyles` dirs/files instead. */
export function collectOutputStyles(ctx: ScanContext, manifest: PluginManifest, namespace: string): OutputStyle[] {
  return collectReplacing(ctx, manifest.outputStyles, "outputStyles", "output-styles/", (file, origin) => {
    const frontmatter = readMarkdownFrontmatter(ctx, file, "output-style", outputStyleFrontmatterSchema);
    const name = frontmatter.name || basename(file, ".md");
    return { name, id: `${namespace}:${name}`, file, frontmatter, origin };
  });
}

function collectReplacing<T extends { file?: string }>(ctx: ScanContext, field: string | string[] | undefined, key: string, folder: string, make: (file: string, origin: "default" | "manifest") => T): T[] {
  const out: T[] = [];
  const defaultDir = join(ctx.root, folder);
  if (field === undefined) {
    for (const f of filesWithExtensionIn(ctx, defaultDir, ".md")) if (checkInside(ctx, f, folder)) out.push(make(f, "default"));
    return out;
  }
  asArray(field).forEach((rel, i) => {
    const at = Array.isArray(field) ? `${key}[${i}]` : key;
    const resolved = resolveComponentPath(ctx, rel, at);
    if (!resolved) return;
    const files = resolved.kind === "dir" ? filesWithExtensionIn(ctx, resolved.abs, ".md") : [resolved.abs];
    for (const f of files) if (checkInside(ctx, f, at)) out.push(make(f, "manifest"));
  });
  noteShadowed(ctx, folder, key, out);
  return out;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
