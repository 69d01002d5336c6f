import { spawnSync } from "node:child_process";
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { agentProcess, builtCli } from "../support/run-agent.js";
import { checkConsistency } from "../installer/support/check-consistency.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "../installer/support/make-marketplace.js";
import { readJson } from "../installer/support/state-hash.js";

const names = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
let market: string;

beforeAll(() => {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
  market = makeMarketplace("mkt-conc", [...names.map((name) => ({ name, version: "1.0.0", dependencies: ["common"] })), { name: "common", version: "1.0.0" }]);
});

describe("concurrent agent processes", () => {
  it("8 concurrent installs of different plugins into one AGENT_HOME all end installed", async () => {
    const home = tempHome();
    registerMarketplaces(home, { "mkt-conc": market });
    const runs = await Promise.all(names.map((n) => agentProcess(["plugin", "install", `${n}@mkt-conc`], { env: { AGENT_HOME: home } })));
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(await checkConsistency(home)).toEqual(["common@mkt-conc", ...names.map((n) => `${n}@mkt-conc`)]);
    const enabled = readJson(join(home, "settings.json")).enabledPlugins;
    for (const n of names) expect(enabled[`${n}@mkt-conc`]).toBe(true);
    expect(Object.keys(readJson(join(home, "agent-lock.json")).plugins)).toHaveLength(9);
    // exactly one of them installed the shared dependency; the others found it installed
    expect(readJson(join(home, "plugins/installed_plugins.json")).plugins["common@mkt-conc"]).toHaveLength(1);
  });

  it("8 installs that all find the lock of a killed process take it over one at a time", async () => {
    // a pid that ran and is gone: the lock a SIGKILLed agent leaves behind
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    for (let round = 0; round < 4; round++) {
      const home = tempHome();
      registerMarketplaces(home, { "mkt-conc": market });
      writeFileSync(join(home, "agent.lock"), JSON.stringify({ pid: dead, at: "2026-01-01T00:00:00.000Z" }));
      const runs = await Promise.all(names.map((n) => agentProcess(["plugin", "install", `${n}@mkt-conc`], { env: { AGENT_HOME: home } })));
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      // two processes breaking the stale lock at once must not both end up holding it: no install is lost
      expect(await checkConsistency(home)).toEqual(["common@mkt-conc", ...names.map((n) => `${n}@mkt-conc`)]);
      expect(Object.keys(readJson(join(home, "agent-lock.json")).plugins)).toHaveLength(9);
      expect(existsSync(join(home, "agent.lock"))).toBe(false);
    }
  });

  it("a lock file that names no process (garbage, or cut short by a crash) is taken over once it is 2 s old", async () => {
    for (const content of ['{"pid": "abc"}', '{"pid": -1}', ""]) {
      const home = tempHome();
      registerMarketplaces(home, { "mkt-conc": market });
      const lock = join(home, "agent.lock");
      writeFileSync(lock, content);
      utimesSync(lock, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
      const r = await agentProcess(["plugin", "install", "p1@mkt-conc"], { env: { AGENT_HOME: home } });
      expect(r.status, `${content}: ${r.stderr}`).toBe(0);
      expect(existsSync(lock)).toBe(false);
    }
  });

  it("a concurrent install and uninstall of the same plugin end in one clear outcome", async () => {
    for (let round = 0; round < 6; round++) {
      const home = tempHome();
      registerMarketplaces(home, { "mkt-conc": market });
      const [install, uninstall] = await Promise.all([
        agentProcess(["plugin", "install", "p1@mkt-conc"], { env: { AGENT_HOME: home } }),
        agentProcess(["plugin", "uninstall", "p1@mkt-conc"], { env: { AGENT_HOME: home } }),
      ]);
      expect(install.status, install.stderr).toBe(0);
      const ids = await checkConsistency(home);
      if (uninstall.status === 0) {
        // the uninstall ran second: p1 is gone, its dependency is left as an orphan for prune
        expect(uninstall.stdout).toContain("Successfully uninstalled plugin: p1");
        expect(ids).toEqual(["common@mkt-conc"]);
      } else {
        // the uninstall ran first and found nothing to remove
        expect(uninstall.status).toBe(3);
        expect(uninstall.stderr).toContain('Plugin "p1@mkt-conc" not found in installed plugins');
        expect(ids).toEqual(["common@mkt-conc", "p1@mkt-conc"]);
      }
    }
  });
});
