import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { treeIntegrity } from "../../../installer/cache/tree-integrity.js";

/**
 * The crash-consistency invariant: every state file parses, and every install record points at a cache
 * dir whose content is complete (its tree integrity equals the recorded one). Returns the installed ids.
 */
export async function checkConsistency(home: string): Promise<string[]> {
  // a commit whose journal landed before the kill is the state: the next command rolls it forward
  const journal = join(home, "plugins/.transaction.json");
  const pending = new Map(existsSync(journal) ? (JSON.parse(readFileSync(journal, "utf8")) as { writes: { path: string; content: string | null }[] }).writes.map((w) => [w.path, w.content]) : []);
  const read = (path: string) => (pending.has(path) ? (pending.get(path) ?? null) : existsSync(path) ? readFileSync(path, "utf8") : null);
  for (const f of ["plugins/installed_plugins.json", "settings.json", "agent-lock.json", "plugins/known_marketplaces.json"]) {
    const text = read(join(home, f));
    if (text !== null) JSON.parse(text);
  }
  const text = read(join(home, "plugins/installed_plugins.json"));
  if (text === null) return [];
  const installed = JSON.parse(text) as { version: number; plugins: Record<string, { installPath: string; integrity?: string }[]> };
  if (installed.version !== 2) throw new Error(`installed_plugins.json version ${installed.version}`);
  for (const [id, records] of Object.entries(installed.plugins)) {
    for (const r of records) {
      if (!existsSync(r.installPath)) throw new Error(`${id}: cache dir ${r.installPath} is missing`);
      const actual = await treeIntegrity(r.installPath);
      if (actual !== r.integrity) throw new Error(`${id}: cache dir ${r.installPath} is incomplete (integrity ${actual} ≠ ${r.integrity})`);
    }
  }
  return Object.keys(installed.plugins).sort();
}
