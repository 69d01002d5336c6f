import { readFileSync } from "node:fs";
import { splitFrontmatter } from "../../schemas/frontmatter.js";

/** The body of a skill, command or agent: its file without the frontmatter, or inline content. */
export function readMarkdownBody(component: { file?: string; content?: string }): string {
  const text = component.file ? readFileSync(component.file, "utf8") : (component.content ?? "");
  return splitFrontmatter(text).body.trim();
}
