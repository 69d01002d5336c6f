import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The root of the agent package (holds package.json and fixtures/): the nearest such directory above this module. */
export const packageRoot: string = (() => {
  // (import.meta.dirname: Node >= 20.11, as package.json's engines say; the bundle makes it __dirname, no URL parsing)
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "fixtures", "marketplaces"))) return dir;
    if (dirname(dir) === dir) throw new Error("agent: cannot find package.json beside fixtures/");
  }
})();

let version: string | undefined;

/** agent's version, from its package.json (read on first use: most commands never show it). */
export function agentVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version);
}
