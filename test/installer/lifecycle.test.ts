import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { readJson } from "./support/state-hash.js";

let home: string;
let market: string;
const run = (...args: string[]) => agent(args, { env: { AGENT_HOME: home } });
const installed = () => readJson(join(home, "plugins/installed_plugins.json")).plugins;
const enabled = () => readJson(join(home, "settings.json")).enabledPlugins;

beforeEach(() => {
  home = tempHome();
  market = makeMarketplace("mkt-a", [
    { name: "alpha", version: "1.0.0", dependencies: ["beta"] },
    { name: "beta", version: "1.0.0", dependencies: ["gamma"] },
    { name: "gamma", version: "1.0.0" },
    { name: "e1", version: "1.0.0", entry: { dependencies: ["e2"] } },
    { name: "e2", version: "1.0.0" },
    {
      name: "cfg",
      version: "1.0.0",
      manifest: {
        userConfig: {
          retries: { type: "number", title: "Retries", description: "how often", min: 0, max: 5 },
          verbose: { type: "boolean", title: "Verbose", description: "talk more" },
          api_token: { type: "string", title: "API token", description: "secret", sensitive: true },
        },
      },
    },
    { name: "net", version: "1.0.0", manifest: { permissions: { network: { allow: ["api.example.com"] } } } },
  ]);
  registerMarketplaces(home, { "mkt-a": market });
});

describe("enable and disable", () => {
  it("enable of a plugin that is not installed is an error (Claude Code silently succeeds)", async () => {
    const r = await run("plugin", "enable", "gamma@mkt-a", "--json");
    expect(r.status).toBe(3);
    expect(r.json().error.code).toBe("E_NOT_INSTALLED");
    expect(existsSync(join(home, "settings.json"))).toBe(false);
  });

  it("disable refuses while an enabled plugin depends on the target, printing the chained command", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    const r = await run("plugin", "disable", "gamma@mkt-a");
    expect(r.status).toBe(5);
    expect(r.stderr).toContain(
      "gamma is still required by beta. Disable that plugin first, or disable everything together: agent plugin disable alpha@mkt-a && agent plugin disable beta@mkt-a && agent plugin disable gamma@mkt-a",
    );
    expect(enabled()["gamma@mkt-a"]).toBe(true);
  });

  it("disable refuses for an entry-declared dependency too (Claude Code lets it through)", async () => {
    await run("plugin", "install", "e1@mkt-a");
    expect((await run("plugin", "disable", "e2@mkt-a")).status).toBe(5);
  });

  it("enable is transitive: it turns disabled dependencies back on at the same scope", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    expect((await run("plugin", "disable", "--all")).stdout).toContain("✔ Disabled 3 plugins");
    const r = await run("plugin", "enable", "alpha");
    expect(r.stdout).toContain("✔ Successfully enabled plugin: alpha (scope: user) (also enabled 2 dependencies: beta, gamma)");
    expect(enabled()).toEqual({ "alpha@mkt-a": true, "beta@mkt-a": true, "gamma@mkt-a": true });
  });
});

describe("uninstall and prune", () => {
  it("uninstall of a required plugin warns and names the dependencies nothing needs", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    const r = await run("plugin", "uninstall", "beta@mkt-a");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("✔ Successfully uninstalled plugin: beta (scope: user) — warning: required by alpha");
    expect(r.stdout).toContain("1 auto-installed dependency no longer needed: gamma. Run `agent plugin prune` to remove.");
    expect(installed()["beta@mkt-a"]).toBeUndefined();
    expect(enabled()["beta@mkt-a"]).toBeUndefined();
    expect(existsSync(join(home, "plugins/cache/mkt-a/beta"))).toBe(false);
    const list = (await run("plugin", "list", "--json")).json();
    expect(list.find((p: { id: string }) => p.id === "alpha@mkt-a").errors).toEqual([
      { code: "dependency-unsatisfied", message: expect.stringContaining('Dependency "beta@mkt-a" is not installed') },
    ]);
  });

  it("prune keeps dependencies declared only in a marketplace entry and removes true orphans", async () => {
    await run("plugin", "install", "e1@mkt-a", "alpha@mkt-a");
    expect((await run("plugin", "prune", "--dry-run")).stdout).toContain("No auto-installed plugins to prune");
    await run("plugin", "uninstall", "alpha@mkt-a");
    const dry = await run("plugin", "prune", "--dry-run");
    expect(dry.stdout).toContain("2 auto-installed plugins no longer needed at user scope:\n  beta@mkt-a (1.0.0)\n  gamma@mkt-a (1.0.0)\n(dry run — nothing removed)");
    const noTty = await run("plugin", "prune");
    expect(noTty.stdout).toContain("Not a TTY — run `agent plugin prune -y` to remove.");
    expect(installed()["beta@mkt-a"]).toBeDefined();
    const yes = await run("plugin", "prune", "-y");
    expect(yes.stdout).toContain("Removed 2 auto-installed plugins: beta, gamma");
    expect(Object.keys(installed()).sort()).toEqual(["e1@mkt-a", "e2@mkt-a"]);
    expect(readdirSync(join(home, "plugins/cache/mkt-a")).sort()).toEqual(["e1", "e2"]);
    expect(Object.keys(readJson(join(home, "agent-lock.json")).plugins).sort()).toEqual(["e1@mkt-a", "e2@mkt-a"]);
  });

  it("uninstall --prune removes the orphans in the same step", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    const r = await run("plugin", "uninstall", "alpha", "--prune", "-y");
    expect(r.stdout).toContain("Removed 2 auto-installed plugins: beta, gamma");
    expect(installed()).toEqual({});
  });
});

describe("userConfig", () => {
  it("validates --config against the declared types before anything is written", async () => {
    const r = await run("plugin", "install", "cfg@mkt-a", "--config", "retries=9", "--config", "nope=1", "--json");
    expect(r.status).toBe(1);
    expect(r.json().error.code).toBe("E_CONFIG");
    expect(r.json().error.details.problems).toEqual(["Retries (retries) must be at most 5", expect.stringContaining('--config key "nope" isn\'t declared')]);
    expect(existsSync(join(home, "plugins/installed_plugins.json"))).toBe(false);
  });

  it("stores typed options in pluginConfigs and sensitive ones only in the 0600 secret store; uninstall removes both", async () => {
    const r = await run("plugin", "install", "cfg@mkt-a", "--config", "retries=3", "--config", "verbose=yes", "--config", "api_token=s3cret-value");
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain("s3cret-value");
    expect(readJson(join(home, "settings.json")).pluginConfigs).toEqual({ "cfg@mkt-a": { options: { retries: 3, verbose: true } } });
    const { readFileSync, statSync } = await import("node:fs");
    for (const f of ["settings.json", "plugins/installed_plugins.json", "agent-lock.json"]) expect(readFileSync(join(home, f), "utf8")).not.toContain("s3cret-value");
    expect(readJson(join(home, ".credentials.json")).pluginSecrets["cfg@mkt-a"]).toEqual({ api_token: "s3cret-value" });
    expect(statSync(join(home, ".credentials.json")).mode & 0o777).toBe(0o600);
    const details = (await run("plugin", "details", "cfg@mkt-a", "--json")).json();
    expect(details.config).toEqual([
      expect.objectContaining({ key: "retries", set: true, value: 3 }),
      expect.objectContaining({ key: "verbose", set: true, value: true }),
      expect.objectContaining({ key: "api_token", sensitive: true, set: true }),
    ]);
    expect(JSON.stringify(details)).not.toContain("s3cret-value");
    await run("plugin", "uninstall", "cfg@mkt-a");
    expect(readJson(join(home, ".credentials.json")).pluginSecrets["cfg@mkt-a"]).toBeUndefined();
    expect(readJson(join(home, "settings.json")).pluginConfigs["cfg@mkt-a"]).toBeUndefined();
  });

  it("re-running install on an installed plugin applies --config; --keep-data keeps it across uninstall", async () => {
    await run("plugin", "install", "cfg@mkt-a");
    const again = await run("plugin", "install", "cfg@mkt-a", "--config", "retries=2");
    expect(again.stdout).toContain('is already installed');
    expect(readJson(join(home, "settings.json")).pluginConfigs["cfg@mkt-a"].options).toEqual({ retries: 2 });
    await run("plugin", "uninstall", "cfg@mkt-a", "--keep-data");
    expect(readJson(join(home, "settings.json")).pluginConfigs["cfg@mkt-a"].options).toEqual({ retries: 2 });
  });
});

describe("permissions", () => {
  it("a plugin asking for more than none/none needs --yes off a TTY; one without permissions installs silently", async () => {
    const denied = await run("plugin", "install", "net@mkt-a", "--json");
    expect(denied.status).toBe(4);
    expect(denied.json().error).toMatchObject({ code: "E_PERMISSION_DENIED", hint: "Review them and re-run with --yes to accept." });
    expect(existsSync(join(home, "plugins/installed_plugins.json"))).toBe(false);
    expect((await run("plugin", "install", "net@mkt-a", "--yes")).status).toBe(0);
    expect((await run("plugin", "details", "net@mkt-a", "--json")).json().permissions.summary).toContain("network: api.example.com");
    expect((await run("plugin", "install", "gamma@mkt-a")).status).toBe(0);
  });

  it("update asks again only when the permissions widened", async () => {
    await run("plugin", "install", "net@mkt-a", "--yes");
    const manifest = join(market, "plugins/net/.claude-plugin/plugin.json");
    writeFileSync(manifest, JSON.stringify({ name: "net", version: "1.0.1", permissions: { network: { allow: ["api.example.com"] } } }));
    expect((await run("plugin", "update", "net@mkt-a")).status).toBe(0);
    writeFileSync(manifest, JSON.stringify({ name: "net", version: "1.0.2", permissions: { network: "full" } }));
    const widened = await run("plugin", "update", "net@mkt-a", "--json");
    expect(widened.json().error.code).toBe("E_PERMISSION_DENIED");
    expect(installed()["net@mkt-a"][0].version).toBe("1.0.1");
    expect((await run("plugin", "update", "net@mkt-a", "--yes")).status).toBe(0);
    expect(installed()["net@mkt-a"][0].version).toBe("1.0.2");
  });
});

describe("update", () => {
  it("moves forward when content changed without a version bump, says what changed, and collects the old cache dir", async () => {
    await run("plugin", "install", "gamma@mkt-a");
    const same = await run("plugin", "update", "gamma@mkt-a");
    expect(same.stdout).toContain("✔ gamma is already at the latest version (1.0.0).");
    const before = installed()["gamma@mkt-a"][0];
    writeFileSync(join(market, "plugins/gamma/NEW.md"), "new content\n");
    const r = await run("plugin", "update", "gamma@mkt-a");
    expect(r.stdout).toContain('✔ Plugin "gamma" updated from 1.0.0 to 1.0.0 for scope user (content changed without a version bump).');
    const after = installed()["gamma@mkt-a"][0];
    expect(after.integrity).not.toBe(before.integrity);
    expect(after.installPath).not.toBe(before.installPath);
    expect(existsSync(join(after.installPath, "NEW.md"))).toBe(true);
    expect(existsSync(before.installPath)).toBe(false);
  });

  it("keeps a dependency auto when it is updated", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    writeFileSync(join(market, "plugins/gamma/.claude-plugin/plugin.json"), JSON.stringify({ name: "gamma", version: "1.1.0" }));
    const r = await run("plugin", "update");
    expect(r.stdout).toContain('✔ Plugin "gamma" updated from 1.0.0 to 1.1.0 for scope user (version 1.0.0 → 1.1.0; content changed).');
    expect(installed()["gamma@mkt-a"][0]).toMatchObject({ version: "1.1.0", auto: true });
    expect(readdirSync(join(home, "plugins/cache/mkt-a/gamma"))).toEqual(["1.1.0"]);
  });
});

describe("list, details, why", () => {
  it("list --json has Claude Code's shape with errors as {code, message}; --available lists the rest", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    rmSync(join(home, "plugins/cache/mkt-a/gamma"), { recursive: true });
    const list = (await run("plugin", "list", "--json")).json();
    expect(list.map((p: { id: string }) => p.id)).toEqual(["alpha@mkt-a", "beta@mkt-a", "gamma@mkt-a"]);
    expect(list[0]).toMatchObject({ id: "alpha@mkt-a", version: "1.0.0", scope: "user", enabled: true, installPath: join(home, "plugins/cache/mkt-a/alpha/1.0.0"), errors: [] });
    expect(list[2].errors).toEqual([{ code: "cache-miss", message: expect.any(String) }]);
    const available = (await run("plugin", "list", "--json", "--available")).json();
    expect(available.available.map((a: { pluginId: string }) => a.pluginId)).toContain("e1@mkt-a");
    expect(available.available[0]).toEqual(expect.objectContaining({ marketplaceName: expect.any(String), source: expect.anything() }));
    const text = await run("plugin", "list");
    expect(text.stdout).toContain("Installed plugins:\n\n  ❯ alpha@mkt-a\n    Version: 1.0.0\n    Scope: user\n    Status: ✔ enabled");
  });

  it("why prints the dependency chains; details lists components, dependencies and dependents", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    const why = await run("plugin", "why", "gamma");
    expect(why.stdout.trim()).toBe("gamma@mkt-a is required by:\n  alpha@mkt-a → beta@mkt-a → gamma@mkt-a");
    const details = (await run("plugin", "details", "beta@mkt-a", "--json")).json();
    expect(details).toMatchObject({ id: "beta@mkt-a", version: "1.0.0", dependencies: ["gamma@mkt-a"], dependents: ["alpha@mkt-a"], components: { skills: ["beta-skill"] } });
  });
});
