import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { readJson } from "./support/state-hash.js";

/**
 * `--claude-home <dir>` / AGENT_CLAUDE_HOME: agent manages a Claude Code home in Claude Code's own file
 * shapes (reference §7). bench/install.mjs checks the same against the real `claude plugin list`.
 */
let claudeHome: string;
let agentHome: string;
let market: string;
const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

beforeEach(() => {
  claudeHome = join(tempHome(), ".claude");
  agentHome = tempHome();
  market = makeMarketplace("mkt-a", [
    { name: "alpha", version: "1.0.0", dependencies: ["beta"] },
    { name: "beta", version: "1.0.0" },
    { name: "cfg", version: "1.0.0", manifest: { userConfig: { api_token: { type: "string", title: "Token", description: "secret", sensitive: true }, retries: { type: "number", title: "Retries", description: "n" } } } },
  ]);
  registerMarketplaces(claudeHome, { "mkt-a": market });
});

describe("managing a Claude Code home", () => {
  it("--claude-home writes installed_plugins.json v2 records and enabledPlugins as Claude Code does, and nothing into agent's own home", async () => {
    const r = await agent(["--claude-home", claudeHome, "plugin", "install", "alpha@mkt-a"], { env: { AGENT_HOME: agentHome } });
    expect(r.status, r.stderr).toBe(0);
    const installed = readJson(join(claudeHome, "plugins/installed_plugins.json"));
    expect(installed.version).toBe(2);
    expect(installed.plugins["alpha@mkt-a"]).toEqual([
      expect.objectContaining({ scope: "user", installPath: join(claudeHome, "plugins/cache/mkt-a/alpha/1.0.0"), version: "1.0.0", installedAt: iso, lastUpdated: iso }),
    ]);
    expect(installed.plugins["alpha@mkt-a"][0].auto).toBeUndefined();
    expect(installed.plugins["beta@mkt-a"]).toEqual([expect.objectContaining({ scope: "user", installPath: join(claudeHome, "plugins/cache/mkt-a/beta/1.0.0"), auto: true })]);
    expect(existsSync(join(claudeHome, "plugins/cache/mkt-a/alpha/1.0.0/.claude-plugin/plugin.json"))).toBe(true);
    expect(readJson(join(claudeHome, "settings.json")).enabledPlugins).toEqual({ "alpha@mkt-a": true, "beta@mkt-a": true });
    expect(readdirSync(agentHome)).toEqual([]);
  });

  it("AGENT_CLAUDE_HOME does the same, and project scope writes <project>/.claude/settings.json", async () => {
    const project = mkdtempSync(join(tmpdir(), "agent-proj-"));
    const r = await agent(["plugin", "install", "beta@mkt-a", "--scope", "project"], { env: { AGENT_CLAUDE_HOME: claudeHome, AGENT_HOME: agentHome }, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(readJson(join(project, ".claude/settings.json")).enabledPlugins).toEqual({ "beta@mkt-a": true });
    expect(existsSync(join(project, ".agent"))).toBe(false);
    expect(readJson(join(claudeHome, "plugins/installed_plugins.json")).plugins["beta@mkt-a"]).toEqual([
      expect.objectContaining({ scope: "project", projectPath: project, installPath: join(claudeHome, "plugins/cache/mkt-a/beta/1.0.0") }),
    ]);
    expect(readdirSync(agentHome)).toEqual([]);
  });

  it("reads and edits state Claude Code wrote, keeping the settings keys it does not own", async () => {
    const cachePath = join(claudeHome, "plugins/cache/mkt-a/beta/1.0.0");
    mkdirSync(join(cachePath, ".claude-plugin"), { recursive: true });
    writeFileSync(join(cachePath, ".claude-plugin/plugin.json"), JSON.stringify({ name: "beta", version: "1.0.0" }));
    const record = { scope: "user", installPath: cachePath, version: "1.0.0", installedAt: "2026-11-24T19:43:25.200Z", lastUpdated: "2026-11-24T19:43:25.200Z", gitCommitSha: "76151841bf2eefd77d340a3d270928023f2ef094" };
    writeFileSync(join(claudeHome, "plugins/installed_plugins.json"), JSON.stringify({ version: 2, plugins: { "beta@mkt-a": [record] } }));
    writeFileSync(join(claudeHome, "settings.json"), JSON.stringify({ model: "opus", permissions: { allow: ["Bash(ls)"] }, enabledPlugins: { "beta@mkt-a": true } }));
    const run = (...args: string[]) => agent(["--claude-home", claudeHome, ...args], { env: { AGENT_HOME: agentHome } });

    const list = await run("plugin", "list", "--json");
    expect(list.json()).toEqual([expect.objectContaining({ id: "beta@mkt-a", version: "1.0.0", scope: "user", enabled: true, installPath: cachePath })]);
    // beta is already there: installing alpha adds only alpha, and leaves beta a manual install
    expect((await run("plugin", "install", "alpha@mkt-a")).status).toBe(0);
    const installed = readJson(join(claudeHome, "plugins/installed_plugins.json")).plugins;
    expect(installed["beta@mkt-a"]).toEqual([record]);
    expect((await run("plugin", "uninstall", "alpha@mkt-a")).status).toBe(0);
    expect((await run("plugin", "uninstall", "beta@mkt-a")).status).toBe(0);
    expect(readJson(join(claudeHome, "settings.json"))).toEqual({ model: "opus", permissions: { allow: ["Bash(ls)"] }, enabledPlugins: {} });
    expect(readJson(join(claudeHome, "plugins/installed_plugins.json"))).toEqual({ version: 2, plugins: {} });
  });

  it("keeps sensitive options in <claude home>/.credentials.json, where Claude Code reads them, even when a keychain answers", async () => {
    const env = { AGENT_HOME: agentHome, ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}) };
    const r = await agent(["--claude-home", claudeHome, "plugin", "install", "cfg@mkt-a", "--config", "api_token=tok-123", "--config", "retries=2"], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(readJson(join(claudeHome, ".credentials.json"))).toEqual({ pluginSecrets: { "cfg@mkt-a": { api_token: "tok-123" } } });
    expect(statSync(join(claudeHome, ".credentials.json")).mode & 0o777).toBe(0o600);
    expect(readJson(join(claudeHome, "settings.json")).pluginConfigs).toEqual({ "cfg@mkt-a": { options: { retries: 2 } } });
    expect((await agent(["--claude-home", claudeHome, "plugin", "uninstall", "cfg@mkt-a"], { env })).status).toBe(0);
    expect(readJson(join(claudeHome, ".credentials.json")).pluginSecrets).toEqual({});
  });
});
