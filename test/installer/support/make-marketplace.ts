import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPlugin {
  name: string;
  version?: string;
  /** dependencies in plugin.json */
  dependencies?: unknown[];
  /** extra marketplace entry fields (dependencies, version, defaultEnabled, permissions …) */
  entry?: Record<string, unknown>;
  /** extra plugin.json fields */
  manifest?: Record<string, unknown>;
  files?: Record<string, string>;
}

/** A real directory marketplace on disk: .claude-plugin/marketplace.json + plugins/<name>/… */
export function makeMarketplace(name: string, plugins: TestPlugin[], extra: Record<string, unknown> = {}, parent = mkdtempSync(join(tmpdir(), "agent-mkt-"))): string {
  const root = join(parent, name);
  mkdirSync(join(root, ".claude-plugin"), { recursive: true });
  for (const p of plugins) writePlugin(root, p);
  const entries = plugins.map((p) => ({ name: p.name, source: `./plugins/${p.name}`, description: `${p.name} plugin`, ...p.entry }));
  writeFileSync(join(root, ".claude-plugin", "marketplace.json"), JSON.stringify({ name, owner: { name: "test" }, plugins: entries, ...extra }, null, 2));
  return root;
}

export function writePlugin(root: string, p: TestPlugin): void {
  const dir = join(root, "plugins", p.name);
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  const manifest = { name: p.name, ...(p.version ? { version: p.version } : {}), ...(p.dependencies ? { dependencies: p.dependencies } : {}), ...p.manifest };
  writeFileSync(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify(manifest, null, 2));
  const files = p.files ?? { [`skills/${p.name}-skill/SKILL.md`]: `---\nname: ${p.name}-skill\ndescription: a skill of ${p.name}\n---\nDo ${p.name} things.\n` };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** Registers directory marketplaces in <home>/plugins/known_marketplaces.json (what `marketplace add` records). */
export function registerMarketplaces(home: string, markets: Record<string, string>): void {
  mkdirSync(join(home, "plugins"), { recursive: true });
  const known = Object.fromEntries(
    Object.entries(markets).map(([name, dir]) => [name, { source: { source: "directory", path: dir }, installLocation: dir, lastUpdated: new Date(0).toISOString() }]),
  );
  writeFileSync(join(home, "plugins", "known_marketplaces.json"), JSON.stringify(known, null, 2));
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "agent-home-"));
}
