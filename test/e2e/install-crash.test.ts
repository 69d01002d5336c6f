import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { agent, agentProcess, builtCli } from "../support/run-agent.js";
import { checkConsistency } from "../installer/support/check-consistency.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "../installer/support/make-marketplace.js";

/** Many files per plugin, so a kill often lands mid-copy, mid-hash or mid-commit. */
function files(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < 30; i++) out[`skills/s${i}/SKILL.md`] = `---\nname: s${i}\ndescription: ${name} skill ${i}\n---\n${"x".repeat(2000)}\n`;
  return out;
}

const all = ["app@mkt-crash", "lib1@mkt-crash", "lib2@mkt-crash", "lib3@mkt-crash"];
let home: string;
const env = () => ({ AGENT_HOME: home });

/** Runs the built CLI as a real process and SIGKILLs it `afterMs` after spawn; true when the kill landed before it exited. */
function killedRun(args: string[], afterMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env() }, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === "SIGKILL");
    });
  });
}

async function timed(args: string[]): Promise<number> {
  const t0 = performance.now();
  const run = await agentProcess(args, { env: env() });
  expect(run.status, run.stderr).toBe(0);
  return performance.now() - t0;
}

/** The kill moment: uniform over the whole life of a run, start-up included, and a little past its usual end. */
const moment = (span: number) => Math.random() * span * 1.15;

beforeAll(() => {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
  home = tempHome();
  const market = makeMarketplace("mkt-crash", [
    { name: "app", version: "1.0.0", dependencies: ["lib1", "lib2"], files: files("app") },
    { name: "lib1", version: "1.0.0", dependencies: ["lib3"], files: files("lib1") },
    { name: "lib2", version: "2.0.0", files: files("lib2") },
    { name: "lib3", version: "3.0.0", files: files("lib3") },
  ]);
  registerMarketplaces(home, { "mkt-crash": market });
});

describe("crash consistency", () => {
  it("SIGKILL at 56 random moments of install and uninstall: state always parses, records point at complete cache dirs, a rerun succeeds", async () => {
    let installSpan = 0;
    let uninstallSpan = 0;
    for (let i = 0; i < 2; i++) {
      installSpan = Math.max(installSpan, await timed(["plugin", "install", "app@mkt-crash"]));
      uninstallSpan = Math.max(uninstallSpan, await timed(["plugin", "uninstall", "app@mkt-crash", "--prune", "-y"]));
    }
    const kills = { install: 0, uninstall: 0, midway: 0, changed: 0 };
    for (let i = 0; i < 28; i++) {
      // kill an install into an empty home: either nothing or everything is installed, and a rerun completes it
      expect(await checkConsistency(home)).toEqual([]);
      if (await killedRun(["plugin", "install", "app@mkt-crash"], moment(installSpan))) kills.midway++;
      kills.install++;
      const afterInstallKill = await checkConsistency(home);
      expect([[], all]).toContainEqual(afterInstallKill);
      if (afterInstallKill.length > 0) kills.changed++;
      const rerun = await agent(["plugin", "install", "app@mkt-crash"], { env: env() });
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(await checkConsistency(home)).toEqual(all);

      // kill an uninstall with --prune: app stays or goes as a whole, its orphans stay or go as a whole
      if (await killedRun(["plugin", "uninstall", "app@mkt-crash", "--prune", "-y"], moment(uninstallSpan))) kills.midway++;
      kills.uninstall++;
      const afterUninstallKill = await checkConsistency(home);
      expect([[], all, all.slice(1)]).toContainEqual(afterUninstallKill);
      if (afterUninstallKill.length < all.length) kills.changed++;
      const list = await agent(["plugin", "list", "--json"], { env: env() });
      expect(list.status, list.stderr).toBe(0);
      expect(list.json<{ id: string }[]>().map((p) => p.id).sort()).toEqual(afterUninstallKill);
      // the rerun: finish the uninstall when app is still there, else collect the orphans it left
      const finish = afterUninstallKill.includes("app@mkt-crash") ? ["plugin", "uninstall", "app@mkt-crash", "--prune", "-y"] : ["plugin", "prune", "-y"];
      const rerunUninstall = await agent(finish, { env: env() });
      expect(rerunUninstall.status, rerunUninstall.stderr).toBe(0);
      expect(await checkConsistency(home)).toEqual([]);
      // no staging dir of a killed process outlives the next command
      expect(existsSync(join(home, "plugins/cache/.staging")) ? readdirSync(join(home, "plugins/cache/.staging")) : []).toEqual([]);
    }
    expect(kills.install + kills.uninstall).toBe(56);
    // most kills must land while the process is still working, or the test proves little
    expect(kills.midway).toBeGreaterThan(30);
    console.log(`crash test: ${kills.install} install and ${kills.uninstall} uninstall kills, ${kills.midway} before exit, ${kills.changed} past the commit point`);
  }, 300_000);
});
