import { stat } from "../files/async-fs.js";
import { copyPluginTree, skippedLinksNote } from "../files/copy-plugin-tree.js";
import { AgentError } from "../../schemas/errors.js";
import { resolveRelativeSource } from "../marketplace/resolve-relative-source.js";
import type { FetchContext, FetchedPlugin } from "./source.js";

/**
 * A plugin inside its marketplace ("./plugins/foo"), copied from the marketplace root with the
 * symlink rules of reference §2.3 (see copyPluginTree).
 */
export async function fetchRelativePlugin(source: string, marketplaceRoot: string | undefined, dest: string, ctx: FetchContext): Promise<FetchedPlugin> {
  const from = resolveRelativeSource(marketplaceRoot, source);
  const info = await stat(from).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AgentError("E_NOT_FOUND", `Source path does not exist: ${from}`, {
      hint: "The marketplace lists a plugin directory that is missing; try `agent plugin marketplace update`.",
      details: { source, path: from },
    });
  }
  const { skippedLinks } = await copyPluginTree(from, marketplaceRoot!, dest);
  const note = skippedLinksNote(skippedLinks);
  if (note) ctx.log(`${source}: ${note}`);
  return { dir: dest };
}
