import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { hashTree } from "./support/state-hash.js";

let home: string;
let good: string;
let broken: string;
const run = (...args: string[]) => agent(args, { env: { AGENT_HOME: home } });

beforeEach(async () => {
  home = tempHome();
  good = makeMarketplace("mkt-a", [{ name: "alpha", version: "1.0.0" }, { name: "badjson", version: "1.0.0" }, { name: "badfield", version: "1.0.0" }, { name: "ghost", version: "1.0.0" }]);
  writeFileSync(join(good, "plugins/badjson/.claude-plugin/plugin.json"), "{ not json");
  writeFileSync(join(good, "plugins/badfield/.claude-plugin/plugin.json"), JSON.stringify({ name: "badfield", description: 7 }));
  const { rmSync } = await import("node:fs");
  rmSync(join(good, "plugins/ghost"), { recursive: true });
  broken = join(tempHome(), "broken");
  mkdirSync(join(broken, ".claude-plugin"), { recursive: true });
  writeFileSync(join(broken, ".claude-plugin/marketplace.json"), '{"name": "broken", "plugins": 7}');
  registerMarketplaces(home, { "mkt-a": good, broken });
  expect((await run("plugin", "install", "alpha@mkt-a")).status).toBe(0);
});

describe("bad input changes nothing on disk", () => {
  const cases: [string, string[], number, string][] = [
    ["an unknown flag", ["plugin", "install", "alpha@mkt-a", "--frobnicate"], 2, ""],
    ["a bad scope", ["plugin", "install", "alpha@mkt-a", "--scope", "galaxy"], 2, ""],
    ["an unknown plugin", ["plugin", "install", "alhpa@mkt-a"], 3, "Did you mean alpha@mkt-a?"],
    ["an unknown marketplace", ["plugin", "install", "alpha@mkt-z"], 3, 'Marketplace "mkt-z" is not known'],
    ["a plugin of a broken marketplace", ["plugin", "install", "x@broken"], 3, 'Marketplace "broken" cannot be read'],
    ["a plugin whose plugin.json is not JSON", ["plugin", "install", "badjson@mkt-a"], 1, "plugin.json is not valid JSON"],
    ["a plugin whose plugin.json has a field of the wrong type", ["plugin", "install", "badfield@mkt-a"], 1, "description: Invalid input: expected string, received number"],
    ["a plugin whose source dir is missing", ["plugin", "install", "ghost@mkt-a"], 3, "Source path does not exist"],
    ["a malformed --config", ["plugin", "install", "alpha@mkt-a", "--config", "novalue"], 2, "is not key=value"],
    ["uninstalling what is not installed", ["plugin", "uninstall", "nothere@mkt-a"], 3, "not found in installed plugins"],
    ["disable without a plugin", ["plugin", "disable"], 2, "Please specify a plugin name or use --all"],
  ];
  for (const [name, args, status, message] of cases) {
    it(`rejects ${name} (exit ${status}) and leaves the state dir byte-identical`, async () => {
      const before = hashTree(home);
      const r = await run(...args);
      expect(r.status).toBe(status);
      expect(r.stderr).toContain(message);
      expect(hashTree(home)).toBe(before);
    });
  }

  it("a broken marketplace does not hide the others", async () => {
    const r = await run("plugin", "list", "--json", "--available");
    expect(r.status).toBe(0);
    expect(r.json().available.map((p: { pluginId: string }) => p.pluginId)).toContain("badjson@mkt-a");
  });
});
