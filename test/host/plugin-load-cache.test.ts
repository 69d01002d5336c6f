import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadSessionPlugins } from "../../cli/run/load-session-plugins.js";
import { stateContext } from "../../installer/state-context.js";
import { makeMarketplace, registerMarketplaces, tempHome, writePlugin } from "../installer/support/make-marketplace.js";
import { agent } from "../support/run-agent.js";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
const skillFile = (name: string) => `---\nname: ${name}\ndescription: the ${name} skill\n---\nDo ${name}.\n`;

function setUp() {
  const home = tempHome();
  const market = makeMarketplace("mkt", [
    {
      name: "notes",
      version: "1.0.0",
      manifest: { userConfig: { depth: { type: "number", title: "Depth", description: "how deep", default: 2 } } },
      files: {
        "skills/jot/SKILL.md": skillFile("jot"),
        "commands/note.md": "---\ndescription: Takes a note\n---\nNote $ARGUMENTS.\n",
        "agents/scribe.md": "---\nname: scribe\ndescription: Writes things down\ntools: Read\n---\nYou write.\n",
        "hooks/hooks.json": JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: "command", command: "true" }] }] } }),
      },
    },
  ]);
  registerMarketplaces(home, { mkt: market });
  const ctx = () => stateContext({ home, env: { ...process.env, AGENT_HOME: home }, cwd: home, packageRoot });
  return { home, market, ctx, cacheFile: join(home, "plugins", "plugin-load-cache.json") };
}

/** the tokens each enabled plugin's skill listing costs, as `agent run --dry-run` reports them */
const skillTokens = async (home: string) => {
  const r = await agent(["run", "--dry-run", "--json"], { env: { AGENT_HOME: home }, cwd: home });
  expect(r.status, r.stderr).toBe(0);
  return Object.fromEntries(r.json().plugins.map((p: { id: string; skills: number }) => [p.id, p.skills]));
};

describe("the session's plugin load cache", () => {
  it("gives a session exactly what reading the plugin's files gives, and is written outside every plugin's data dir", async () => {
    const { home, ctx, cacheFile } = setUp();
    expect((await agent(["plugin", "install", "notes@mkt"], { env: { AGENT_HOME: home } })).status).toBe(0);
    const read = await loadSessionPlugins(ctx());
    expect(existsSync(cacheFile)).toBe(true);
    const remembered = await loadSessionPlugins(ctx());
    expect(remembered.plugins).toEqual(read.plugins);
    const plugin = remembered.plugins[0]!;
    expect(plugin.inventory.skills.map((s) => s.name)).toEqual(["jot"]);
    expect(plugin.inventory.commands).toHaveLength(1);
    expect(plugin.inventory.agents).toHaveLength(1);
    expect(plugin.inventory.hooks).toHaveLength(1);
    expect(plugin.config).toEqual({ depth: 2 });
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, "utf8")).plugins)).toEqual([plugin.root]);
    expect(cacheFile.startsWith(plugin.dataDir)).toBe(false);
  });

  it("with --claude-home it stays in agent's own home: Claude Code's dir gets no file of agent's own", async () => {
    const { home: claudeHome } = setUp();
    const ownHome = tempHome();
    const env = { AGENT_HOME: ownHome };
    expect((await agent(["--claude-home", claudeHome, "plugin", "install", "notes@mkt"], { env })).status).toBe(0);
    const ctx = stateContext({ claudeHome, env: { ...process.env, ...env }, cwd: claudeHome, packageRoot });
    const { plugins } = await loadSessionPlugins(ctx);
    expect(plugins.map((p) => p.id)).toEqual(["notes@mkt"]);
    expect(existsSync(join(claudeHome, "plugins", "plugin-load-cache.json"))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(ownHome, "plugins", "plugin-load-cache.json"), "utf8")).plugins)).toEqual([plugins[0]!.root]);
  });

  it("an update of the plugin (a new install record) is read afresh", async () => {
    const { home, market } = setUp();
    expect((await agent(["plugin", "install", "notes@mkt"], { env: { AGENT_HOME: home } })).status).toBe(0);
    const before = (await skillTokens(home))["notes@mkt"];
    expect(before).toBeGreaterThan(0);
    writePlugin(market, { name: "notes", version: "1.1.0", files: { "skills/jot/SKILL.md": skillFile("jot"), "skills/file/SKILL.md": skillFile("file") } });
    const update = await agent(["plugin", "update", "notes@mkt"], { env: { AGENT_HOME: home } });
    expect(update.status, update.stderr).toBe(0);
    expect((await skillTokens(home))["notes@mkt"]).toBeGreaterThan(before);
  });

  it("a damaged cache file costs only a full read", async () => {
    const { home, ctx, cacheFile } = setUp();
    expect((await agent(["plugin", "install", "notes@mkt"], { env: { AGENT_HOME: home } })).status).toBe(0);
    const read = await loadSessionPlugins(ctx());
    writeFileSync(cacheFile, '{"format":1,"plugins":{"');
    expect((await loadSessionPlugins(ctx())).plugins).toEqual(read.plugins);
    const root = read.plugins[0]!.root;
    writeFileSync(cacheFile, JSON.stringify({ format: 1, plugins: { [root]: { key: "stale", manifest: {}, inventory: { skills: [] } } } }));
    expect((await loadSessionPlugins(ctx())).plugins).toEqual(read.plugins);
    expect(JSON.parse(readFileSync(cacheFile, "utf8")).plugins[root].key).not.toBe("stale");
  });

  it("remembers nothing for a plugin outside the version-keyed cache (a --plugin-dir plugin)", async () => {
    const { home, market, cacheFile } = setUp();
    const r = await agent(["run", "--dry-run", "--json", "--plugin-dir", join(market, "plugins", "notes")], { env: { AGENT_HOME: home }, cwd: home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json().plugins.map((p: { id: string }) => p.id)).toEqual(["notes@inline"]);
    expect(existsSync(cacheFile)).toBe(false);
  });
});
