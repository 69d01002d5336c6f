import { resolve, sep } from "node:path";
import { AgentError } from "../../schemas/errors.js";

/**
 * The absolute directory of a relative plugin source ("./plugins/foo", "." or "./"), resolved against
 * the marketplace root (the directory holding .claude-plugin/). It never leaves the root.
 */
export function resolveRelativeSource(marketplaceRoot: string | undefined, source: string, plugin?: string): string {
  if (!marketplaceRoot) {
    throw new AgentError("E_UNSUPPORTED_SOURCE", `Plugin ${plugin ? `"${plugin}" ` : ""}has the relative source ${source} but its marketplace has no directory to resolve it against`, {
      hint: "Relative sources need a git, github, npm or directory marketplace; a bare marketplace.json URL cannot serve them.",
      details: { source, plugin },
    });
  }
  const root = resolve(marketplaceRoot);
  const dir = resolve(root, source === "." ? "./" : source);
  if (source.split(/[\\/]/).includes("..") || (dir !== root && !dir.startsWith(root + sep))) {
    throw new AgentError("E_INVALID_MANIFEST", `Plugin source ${source} leaves the marketplace root ${root}`, {
      hint: 'Relative sources start with "./" and contain no "..".',
      details: { source, plugin, root },
    });
  }
  return dir;
}
