import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FetchContext } from "../../registry/sources/source.js";
import type { FileTree } from "../support/git-server.js";

const made: string[] = [];

/** A fresh temp dir, removed by removeTempDirs (call it in afterAll). */
export function tempDir(prefix = "agent-src-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh path that does not exist yet, as fetchers expect for `dest`. */
export function freshDest(): string {
  return join(tempDir("agent-dest-"), "out");
}

export function fetchContext(overrides: Partial<FetchContext> = {}): FetchContext & { lines: string[] } {
  const lines: string[] = [];
  return { env: { PATH: process.env.PATH, HOME: tempDir("agent-home-") }, log: (l) => lines.push(l), policy: {}, home: tempDir("agent-state-"), lines, ...overrides };
}

export function marketplaceJson(name: string, plugins: unknown[] = [{ name: "alpha", source: "./plugins/alpha", version: "1.0.0" }]): string {
  return JSON.stringify({ name, owner: { name: "Tester" }, plugins }, null, 2);
}

export function pluginTree(name: string, version = "1.0.0", prefix = ""): FileTree {
  return {
    [`${prefix}.claude-plugin/plugin.json`]: JSON.stringify({ name, version }),
    [`${prefix}skills/hello/SKILL.md`]: `---\nname: hello\ndescription: says hello\n---\nHello from ${name}\n`,
  };
}

export function marketplaceTree(name: string, plugins: Record<string, string> = { alpha: "1.0.0" }): FileTree {
  const entries = Object.entries(plugins).map(([p, v]) => ({ name: p, source: `./plugins/${p}`, version: v }));
  const tree: FileTree = { ".claude-plugin/marketplace.json": marketplaceJson(name, entries) };
  for (const [p, v] of Object.entries(plugins)) Object.assign(tree, pluginTree(p, v, `plugins/${p}/`));
  return tree;
}
