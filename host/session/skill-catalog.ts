import { isAbsolute, relative, resolve } from "node:path";
import picomatch from "picomatch";
import type { Skill } from "../../registry/plugin/index.js";
import { listField } from "../../schemas/frontmatter.js";
import type { LoadedPlugin } from "./loaded-plugin.js";

export interface CatalogSkill {
  /** "<plugin>:<skill>" */
  id: string;
  plugin: LoadedPlugin;
  skill: Skill;
  /** description and when_to_use, as the listing shows them */
  description: string;
  /** matches project-relative paths when the skill is path-scoped */
  paths?: (path: string) => boolean;
}

const maxDescription = 1536;
const touchedKeys = ["file_path", "path", "notebook_path", "pattern"];

/**
 * The skills of a session, disclosed progressively: the prompt lists only name and description; a
 * skill with `paths` stays hidden until a tool call touches a matching file (file_path, path or
 * pattern input); skills with disable-model-invocation are never listed for the model.
 */
export class SkillCatalog {
  readonly all: CatalogSkill[];
  private readonly revealed = new Set<string>();

  constructor(
    plugins: LoadedPlugin[],
    private readonly projectDir: string,
  ) {
    this.all = plugins.flatMap((plugin) =>
      plugin.inventory.skills.map((skill) => {
        const fm = skill.frontmatter;
        const text = [fm.description, fm.when_to_use].filter(Boolean).join(" ") || `Skill ${skill.name} from ${plugin.name}`;
        const globs = listField(fm.paths);
        return {
          id: skill.id,
          plugin,
          skill,
          description: text.length > maxDescription ? `${text.slice(0, maxDescription - 1)}…` : text,
          ...(globs.length ? { paths: picomatch(globs, { dot: true }) } : {}),
        };
      }),
    );
  }

  /** Skills the model may see and invoke now. */
  visible(): CatalogSkill[] {
    return this.all.filter((s) => s.skill.frontmatter["disable-model-invocation"] !== true && (!s.paths || this.revealed.has(s.id)));
  }

  /** Reveals path-scoped skills whose globs match a file the tool call touched; returns the new ones. */
  noteToolCall(input: Record<string, unknown>): { skill: string; file: string }[] {
    const touched = touchedKeys.map((k) => input[k]).filter((v): v is string => typeof v === "string" && v.length > 0);
    const out: { skill: string; file: string }[] = [];
    for (const s of this.all) {
      if (!s.paths || this.revealed.has(s.id)) continue;
      const file = touched.find((t) => s.paths!(this.relativePath(t)));
      if (file === undefined) continue;
      this.revealed.add(s.id);
      out.push({ skill: s.id, file });
    }
    return out;
  }

  /** A skill by "<plugin>:<name>", or by bare name when only one plugin has it. */
  find(name: string, among: CatalogSkill[] = this.all): CatalogSkill | undefined {
    const exact = among.find((s) => s.id === name);
    if (exact) return exact;
    const bare = among.filter((s) => s.skill.name === name);
    return bare.length === 1 ? bare[0] : undefined;
  }

  /** The listing lines that enter the system prompt. */
  listing(skills: CatalogSkill[] = this.visible()): string {
    return skills.map((s) => `- ${s.id}: ${s.description}`).join("\n");
  }

  private relativePath(path: string): string {
    const abs = isAbsolute(path) ? path : resolve(this.projectDir, path);
    const rel = relative(this.projectDir, abs);
    return rel.startsWith("..") ? abs : rel;
  }
}
