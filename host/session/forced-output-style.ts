import type { LoadedPlugin } from "./loaded-plugin.js";
import { readMarkdownBody } from "./read-markdown-body.js";

/** The body of the first enabled output style marked `force-for-plugin` (reference §10.6), if any. */
export function forcedOutputStyle(plugins: LoadedPlugin[]): { id: string; body: string } | undefined {
  for (const plugin of plugins) {
    const style = plugin.inventory.outputStyles.find((s) => s.frontmatter["force-for-plugin"] === true);
    if (style) return { id: style.id, body: readMarkdownBody(style) };
  }
  return undefined;
}
