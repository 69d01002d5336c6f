import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { hashTree, readJson } from "./support/state-hash.js";

let home: string;
let a: string;
let b: string;
const run = (...args: string[]) => agent(args, { env: { AGENT_HOME: home } });
const managed = (policy: unknown) => writeFileSync(join(home, "managed-settings.json"), JSON.stringify(policy));

beforeEach(() => {
  home = tempHome();
  a = makeMarketplace("mkt-a", [
    { name: "alpha", version: "1.0.0", dependencies: ["beta"] },
    { name: "beta", version: "1.0.0" },
    { name: "crossy", version: "1.0.0", dependencies: ["delta@mkt-b"] },
  ], { allowCrossMarketplaceDependenciesOn: ["mkt-b"] });
  b = makeMarketplace("mkt-b", [{ name: "delta", version: "1.0.0" }]);
  registerMarketplaces(home, { "mkt-a": a, "mkt-b": b });
});

describe("managed policy", () => {
  it("managed enabledPlugins:false blocks the install and changes nothing", async () => {
    managed({ enabledPlugins: { "beta@mkt-a": false } });
    const before = hashTree(home);
    const r = await run("plugin", "install", "beta@mkt-a");
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('Plugin "beta" is blocked by your organization\'s policy and cannot be installed');
    expect(hashTree(home)).toBe(before);
  });

  it("a blocked dependency blocks its dependent: nothing is installed (Claude Code leaves the dependent installed)", async () => {
    managed({ enabledPlugins: { "beta@mkt-a": false } });
    const before = hashTree(home);
    const r = await run("plugin", "install", "alpha@mkt-a", "--json");
    expect(r.json().error).toMatchObject({ code: "E_POLICY_BLOCKED", message: 'Plugin "alpha@mkt-a" depends on "beta@mkt-a", which is blocked by your organization\'s policy' });
    expect(hashTree(home)).toBe(before);
  });

  it("blockedMarketplaces blocks installs from it, including as a dependency, before any download", async () => {
    managed({ blockedMarketplaces: [{ source: "directory", path: b }] });
    const before = hashTree(home);
    const direct = await run("plugin", "install", "delta@mkt-b");
    expect(direct.status).toBe(4);
    expect(direct.stderr).toContain('Plugin "delta" is from marketplace "mkt-b", which is blocked by your organization\'s policy');
    const dep = await run("plugin", "install", "crossy@mkt-a", "--json");
    expect(dep.json().error.code).toBe("E_POLICY_BLOCKED");
    expect(hashTree(home)).toBe(before);
  });

  it("strictKnownMarketplaces allows only the listed sources, also for updates of plugins installed before", async () => {
    expect((await run("plugin", "install", "delta@mkt-b")).status).toBe(0);
    managed({ strictKnownMarketplaces: [{ source: "directory", path: a }] });
    expect((await run("plugin", "install", "beta@mkt-a")).status).toBe(0);
    const r = await run("plugin", "update", "delta@mkt-b", "--json");
    expect(r.status).toBe(4);
    expect(r.json().error.details.reason).toContain(`Marketplace source 'dir:${b}' is blocked by enterprise policy. Allowed sources: dir:${a}`);
    const list = (await run("plugin", "list", "--json")).json();
    expect(list.find((p: { id: string }) => p.id === "delta@mkt-b").errors[0].code).toBe("policy-blocked");
  });

  it("the built-in marketplace obeys the same policy", async () => {
    managed({ strictKnownMarketplaces: [] });
    const r = await run("plugin", "install", "commit-helper@agent-builtin", "--json");
    expect(r.json().error.code).toBe("E_POLICY_BLOCKED");
    expect(readJson(join(home, "plugins/known_marketplaces.json"))["agent-builtin"]).toBeUndefined();
  });
});
