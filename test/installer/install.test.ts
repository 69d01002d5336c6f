import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { hashTree, readJson } from "./support/state-hash.js";

let home: string;
const run = (...args: string[]) => agent(args, { env: { AGENT_HOME: home } });

beforeEach(() => {
  home = tempHome();
  const a = makeMarketplace("mkt-a", [
    { name: "alpha", version: "1.0.0", dependencies: ["beta"] },
    { name: "beta", version: "1.0.0", dependencies: [{ name: "gamma", version: "^1.0.0" }] },
    { name: "gamma", version: "1.2.0" },
    { name: "entryver", entry: { version: "9.9.9" } },
    { name: "nover" },
    { name: "e1", version: "1.0.0", entry: { dependencies: ["e2"] } },
    { name: "e2", version: "1.0.0" },
    { name: "cyc1", version: "1.0.0", dependencies: ["cyc2"] },
    { name: "cyc2", version: "1.0.0", entry: { dependencies: ["cyc1"] } },
    { name: "lonely", version: "1.0.0", dependencies: ["does-not-exist"] },
    { name: "crossy", version: "1.0.0", dependencies: ["delta@mkt-b"] },
    { name: "needs2", version: "1.0.0", dependencies: [{ name: "gamma", version: "^2.0.0" }] },
    { name: "off", version: "1.0.0", entry: { defaultEnabled: false } },
    { name: "shared", version: "1.0.0" },
  ]);
  const b = makeMarketplace("mkt-b", [{ name: "delta", version: "1.0.0" }, { name: "shared", version: "2.0.0" }]);
  registerMarketplaces(home, { "mkt-a": a, "mkt-b": b });
});

describe("plugin install", () => {
  it("installs a plugin with its transitive dependencies as auto records, enabled, in the versioned cache", async () => {
    const r = await run("plugin", "install", "alpha@mkt-a");
    expect(r.stderr).not.toContain("✘");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("✔ Successfully installed plugin: alpha@mkt-a (scope: user) (+ 2 dependencies: beta, gamma)");
    const installed = readJson(join(home, "plugins/installed_plugins.json"));
    expect(installed.version).toBe(2);
    expect(Object.keys(installed.plugins).sort()).toEqual(["alpha@mkt-a", "beta@mkt-a", "gamma@mkt-a"]);
    expect(installed.plugins["alpha@mkt-a"][0].auto).toBeUndefined();
    expect(installed.plugins["beta@mkt-a"][0].auto).toBe(true);
    expect(installed.plugins["gamma@mkt-a"][0]).toMatchObject({ scope: "user", version: "1.2.0", installPath: join(home, "plugins/cache/mkt-a/gamma/1.2.0"), auto: true });
    expect(installed.plugins["gamma@mkt-a"][0].integrity).toMatch(/^sha512-/);
    expect(existsSync(join(home, "plugins/cache/mkt-a/alpha/1.0.0/.claude-plugin/plugin.json"))).toBe(true);
    expect(readJson(join(home, "settings.json")).enabledPlugins).toEqual({ "alpha@mkt-a": true, "beta@mkt-a": true, "gamma@mkt-a": true });
    const lock = readJson(join(home, "agent-lock.json"));
    expect(Object.keys(lock.plugins).sort()).toEqual(["alpha@mkt-a", "beta@mkt-a", "gamma@mkt-a"]);
    expect(lock.plugins["beta@mkt-a"]).toMatchObject({ version: "1.0.0", resolved: "mkt-a:./plugins/beta", dependencies: ["gamma@mkt-a"], auto: true });
  });

  it("follows Claude Code's version rule: plugin.json, then the entry, then unknown for a non-git directory", async () => {
    expect((await run("plugin", "install", "entryver@mkt-a", "nover@mkt-a")).status).toBe(0);
    const installed = readJson(join(home, "plugins/installed_plugins.json"));
    expect(installed.plugins["entryver@mkt-a"][0].version).toBe("9.9.9");
    expect(installed.plugins["nover@mkt-a"][0].version).toBe("unknown");
    expect(existsSync(join(home, "plugins/cache/mkt-a/nover/unknown"))).toBe(true);
  });

  it("resolves marketplace-entry dependencies through the same path as plugin.json ones", async () => {
    const r = await run("plugin", "install", "e1@mkt-a", "--json");
    expect(r.status).toBe(0);
    expect(r.json().dependencies).toEqual(["e2@mkt-a"]);
    expect(readJson(join(home, "plugins/installed_plugins.json")).plugins["e1@mkt-a"][0].dependencies).toEqual(["e2@mkt-a"]);
  });

  for (const [name, spec, code] of [
    ["a cycle across plugin.json and the entry", "cyc1@mkt-a", "E_CYCLE"],
    ["a missing dependency", "lonely@mkt-a", "E_NOT_FOUND"],
    ["a cross-marketplace dependency without an allowlist", "crossy@mkt-a", "E_CROSS_MARKETPLACE"],
    ["a range no version satisfies", "needs2@mkt-a", "E_NO_MATCHING_VERSION"],
  ] as const) {
    it(`fails on ${name} with ${code} and leaves the state exactly as it was`, async () => {
      await run("plugin", "install", "e2@mkt-a");
      const before = hashTree(home);
      const r = await run("plugin", "install", spec, "--json");
      expect(r.status).not.toBe(0);
      expect(r.json().error.code).toBe(code);
      expect(hashTree(home)).toBe(before);
    });
  }

  it("reports the whole cycle path", async () => {
    const r = await run("plugin", "install", "cyc1@mkt-a");
    expect(r.stderr).toContain("Dependency cycle: cyc1@mkt-a → cyc2@mkt-a → cyc1@mkt-a");
  });

  it("allows a cross-marketplace dependency the dependent's marketplace allowlists", async () => {
    const a = makeMarketplace("mkt-c", [{ name: "crossy", version: "1.0.0", dependencies: ["delta@mkt-b"] }], { allowCrossMarketplaceDependenciesOn: ["mkt-b"] });
    const known = readJson(join(home, "plugins/known_marketplaces.json"));
    registerMarketplaces(home, { "mkt-a": known["mkt-a"].installLocation, "mkt-b": known["mkt-b"].installLocation, "mkt-c": a });
    const r = await run("plugin", "install", "crossy@mkt-c");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("(+ 1 dependency: delta)");
  });

  it("refuses an unqualified name found in two marketplaces, listing both", async () => {
    const r = await run("plugin", "install", "shared", "--json");
    expect(r.status).toBe(5);
    expect(r.json().error).toMatchObject({ code: "E_AMBIGUOUS", details: { candidates: ["shared@mkt-a", "shared@mkt-b"] } });
  });

  it("suggests the closest names for an unknown plugin", async () => {
    const r = await run("plugin", "install", "alpah");
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('Plugin "alpah" not found');
    expect(r.stderr).toContain("Did you mean alpha@mkt-a");
  });

  it("writes false for a defaultEnabled:false plugin and says how to enable it", async () => {
    const r = await run("plugin", "install", "off@mkt-a");
    expect(r.stdout).toContain("This plugin is disabled by default — enable it with: agent plugin enable off@mkt-a");
    expect(readJson(join(home, "settings.json")).enabledPlugins["off@mkt-a"]).toBe(false);
  });

  it("says a plugin is already installed and changes nothing", async () => {
    await run("plugin", "install", "gamma@mkt-a");
    const before = hashTree(join(home, "plugins"));
    const r = await run("plugin", "install", "gamma@mkt-a");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✔ Plugin "gamma@mkt-a" is already installed (scope: user)');
    expect(hashTree(join(home, "plugins"))).toBe(before);
  });

  it("--dry-run shows the plan and writes nothing", async () => {
    const before = hashTree(home);
    const r = await run("plugin", "install", "alpha@mkt-a", "--dry-run", "--json");
    expect(r.status).toBe(0);
    expect(r.json().plugins.map((p: { id: string }) => p.id)).toEqual(["gamma@mkt-a", "beta@mkt-a", "alpha@mkt-a"]);
    expect(hashTree(home)).toBe(before);
  });

  it("says which symbolic links it left out of a plugin's copy (reference §2.3), in text and in --json", async () => {
    const market = readJson(join(home, "plugins/known_marketplaces.json"))["mkt-a"].installLocation as string;
    symlinkSync("/etc/hostname", join(market, "plugins/gamma/outside"));
    symlinkSync("missing.md", join(market, "plugins/gamma/dangling.md"));
    const note = "gamma@mkt-a: left out 2 symbolic links pointing outside the marketplace, at nothing, or back into the plugin: dangling.md, outside";
    const dry = await run("plugin", "install", "beta@mkt-a", "--dry-run", "--json");
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout).warnings).toEqual([note]);
    const r = await run("plugin", "install", "beta@mkt-a");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`⚠ ${note}`);
    expect(existsSync(join(home, "plugins/cache/mkt-a/gamma/1.2.0/skills"))).toBe(true);
    expect(existsSync(join(home, "plugins/cache/mkt-a/gamma/1.2.0/outside"))).toBe(false);
  });

  it("removes the temp files of state writes that a killed process left, and keeps a live one's", async () => {
    // a pid that ran and is gone: a process of this test's own, waited for
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const orphans = [join(home, `.settings.json.${dead}.k1x.tmp`), join(home, "plugins", `.installed_plugins.json.${dead}.k2x.tmp`), join(home, "plugins", `..transaction.json.${dead}.k3x.tmp`)];
    const live = join(home, `.settings.json.${process.pid}.k4x.tmp`);
    const unrelated = join(home, "notes.tmp");
    for (const file of [...orphans, live, unrelated]) writeFileSync(file, "{");
    expect((await run("plugin", "install", "gamma@mkt-a")).status).toBe(0);
    expect(orphans.filter((file) => existsSync(file))).toEqual([]);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });

  it("repairs an install whose cache dir vanished", async () => {
    await run("plugin", "install", "gamma@mkt-a");
    const { rmSync } = await import("node:fs");
    rmSync(join(home, "plugins/cache/mkt-a/gamma"), { recursive: true });
    expect((await run("plugin", "install", "gamma@mkt-a")).status).toBe(0);
    expect(existsSync(join(home, "plugins/cache/mkt-a/gamma/1.2.0/.claude-plugin/plugin.json"))).toBe(true);
  });

  it("installs at project scope into <cwd>/.agent/settings.json with projectPath, sharing the cache", async () => {
    const project = tempHome();
    const r = await agent(["plugin", "install", "gamma@mkt-a", "--scope", "project"], { env: { AGENT_HOME: home }, cwd: project });
    expect(r.status).toBe(0);
    expect(readJson(join(project, ".agent/settings.json")).enabledPlugins).toEqual({ "gamma@mkt-a": true });
    expect(readJson(join(project, ".agent/agent-lock.json")).plugins["gamma@mkt-a"].version).toBe("1.2.0");
    expect(readJson(join(home, "plugins/installed_plugins.json")).plugins["gamma@mkt-a"][0]).toMatchObject({ scope: "project", projectPath: project });
    expect(existsSync(join(home, "settings.json"))).toBe(false);
  });

  it("removes the temp files a killed process left beside a project's state files when it writes there", async () => {
    const project = tempHome();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    mkdirSync(join(project, ".agent"));
    const orphan = join(project, ".agent", `.settings.json.${dead}.k5x.tmp`);
    writeFileSync(orphan, "{");
    const r = await agent(["plugin", "install", "gamma@mkt-a", "--scope", "project"], { env: { AGENT_HOME: home }, cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    // adding a marketplace at project scope writes the project's settings.json too
    writeFileSync(orphan, "{");
    const market = makeMarketplace("mkt-c", [{ name: "zeta", version: "1.0.0" }]);
    const added = await agent(["plugin", "marketplace", "add", market, "--scope", "project"], { env: { AGENT_HOME: home }, cwd: project });
    expect(added.status, added.stderr).toBe(0);
    expect(readJson(join(project, ".agent/settings.json")).extraKnownMarketplaces["mkt-c"]).toBeDefined();
    expect(existsSync(orphan)).toBe(false);
  });
});

describe("install --frozen", () => {
  it("reproduces the lockfile exactly, and fails with E_FROZEN_MISMATCH listing what changed", async () => {
    await run("plugin", "install", "alpha@mkt-a");
    const lock = readJson(join(home, "agent-lock.json"));
    const other = tempHome();
    writeFileSync(join(other, "agent-lock.json"), JSON.stringify(lock));
    const { cpSync } = await import("node:fs");
    cpSync(join(home, "plugins/known_marketplaces.json"), join(other, "plugins/known_marketplaces.json"));
    const ok = await agent(["plugin", "install", "--frozen"], { env: { AGENT_HOME: other } });
    expect(ok.stderr).not.toContain("✘");
    expect(ok.status).toBe(0);
    expect(readJson(join(other, "agent-lock.json"))).toEqual(lock);

    const market = readJson(join(home, "plugins/known_marketplaces.json"))["mkt-a"].installLocation;
    writeFileSync(join(market, "plugins/gamma/EXTRA.md"), "changed\n");
    const third = tempHome();
    writeFileSync(join(third, "agent-lock.json"), JSON.stringify(lock));
    cpSync(join(home, "plugins/known_marketplaces.json"), join(third, "plugins/known_marketplaces.json"));
    const before = hashTree(third);
    const bad = await agent(["plugin", "install", "--frozen", "--json"], { env: { AGENT_HOME: third } });
    expect(bad.status).toBe(5);
    expect(bad.json().error.code).toBe("E_FROZEN_MISMATCH");
    expect(bad.json().error.details.differences).toEqual([expect.stringContaining("gamma@mkt-a: content differs")]);
    expect(hashTree(third)).toBe(before);
  });
});
