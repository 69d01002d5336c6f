import { createRequire } from "node:module";
import type { z } from "zod";
import { safeParseFast } from "../../schemas/fast-parse.js";
import { parsePlainFrontmatter, splitFrontmatter } from "../../schemas/frontmatter.js";
import { issuesToFindings } from "./issue-findings.js";
import { readTextFile } from "./read-json-file.js";
import { addProblem, relPath, type ScanContext } from "./scan-context.js";

// full YAML is loaded only for frontmatter the plain key: value reader cannot take
const requireModule = createRequire(import.meta.url);
let yaml: typeof import("yaml") | undefined;
function parseYaml(text: string, options: import("yaml").ParseOptions & import("yaml").DocumentOptions & import("yaml").SchemaOptions & import("yaml").ToJSOptions): unknown {
  yaml ??= requireModule("yaml") as typeof import("yaml");
  return yaml.parse(text, options);
}

export type MarkdownKind = "skill" | "command" | "agent" | "output-style";

const runtimeEffect: Record<MarkdownKind, string> = {
  skill: "At runtime this skill loads with empty metadata (all frontmatter fields silently dropped).",
  command: "At runtime this command loads with empty metadata (all frontmatter fields silently dropped).",
  agent: "At runtime this agent loads with empty metadata (all frontmatter fields silently dropped).",
  "output-style": "At runtime this output style loads with empty metadata.",
};

/**
 * Reads a skill/command/agent/output-style file's YAML frontmatter. Broken YAML is an error, a missing
 * block a warning (commands and skills), fields of the wrong type warnings; the frontmatter is {} then.
 */
export function readMarkdownFrontmatter<S extends z.ZodType>(ctx: ScanContext, file: string, kind: MarkdownKind, schema: S): z.infer<S> {
  const at = relPath(ctx, file);
  const text = readTextFile(file);
  if (!text.ok) {
    addProblem(ctx, "error", text.code, at, text.message, { file });
    return {} as z.infer<S>;
  }
  const { yaml } = splitFrontmatter(text.text);
  if (yaml === undefined) {
    if (kind === "command" || kind === "skill")
      addProblem(ctx, "warning", "frontmatter-missing", `${at} → frontmatter`, "No frontmatter block found. Add YAML frontmatter between --- delimiters with at least a description.", { file });
    return {} as z.infer<S>;
  }
  let data: unknown;
  try {
    data = parsePlainFrontmatter(yaml) ?? parseYaml(yaml, { maxAliasCount: 100, prettyErrors: false }) ?? {};
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split("\n")[0];
    addProblem(ctx, "error", "frontmatter-yaml", `${at} → frontmatter`, `YAML frontmatter failed to parse: ${message}. ${runtimeEffect[kind]}`, { file });
    return {} as z.infer<S>;
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    addProblem(ctx, "error", "frontmatter-yaml", `${at} → frontmatter`, `YAML frontmatter must be a mapping of fields, not ${Array.isArray(data) ? "a list" : `a ${typeof data}`}. ${runtimeEffect[kind]}`, { file });
    return {} as z.infer<S>;
  }
  const parsed = safeParseFast(schema, data);
  if (!parsed.success) {
    ctx.problems.push(...issuesToFindings(parsed.error.issues, { domain: "frontmatter", prefix: `${ctx.prefix}${at} → frontmatter.`, file, severity: "warning" }));
    return {} as z.infer<S>;
  }
  if (kind === "agent" && !(parsed.data as { description?: string }).description)
    addProblem(ctx, "warning", "description-missing", `${at} → frontmatter.description`, "No description in frontmatter. A description helps users and Claude understand when to use this agent.", { file });
  return parsed.data;
}
