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

/** Runs the built CLI as a real process and SIGKILLs it `afterMs` after spawn: whether the kill landed before it exited, and how long it ran. */
function killedRun(args: string[], afterMs: number): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [builtCli, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env() }, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === "SIGKILL", ms: performance.now() - t0 });
    });
  });
}

async function timed(args: string[]): Promise<number> {
  const t0 = performance.now();
  const run = await agentProcess(args, { env: env() });
  expect(run.status, run.stderr).toBe(0);
  return performance.now() - t0;
}

/** The kill moment: uniform from late in start-up (most of a short run) to a little past the usual end. */
const moment = (span: number) => span * (0.3 + Math.random() * 0.8);

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
    // how long a run takes on this machine right now; a run the kill missed updates it (load changes)
    const span = { install: 0, uninstall: 0 };
    for (let i = 0; i < 2; i++) {
      span.install = Math.max(span.install, await timed(["plugin", "install", "app@mkt-crash"]));
      span.uninstall = Math.max(span.uninstall, await timed(["plugin", "uninstall", "app@mkt-crash", "--prune", "-y"]));
    }
    const kills = { install: 0, uninstall: 0, missed: 0, changed: 0 };
    const attempt = async (kind: "install" | "uninstall", args: string[]) => {
      const run = await killedRun(args, moment(span[kind]));
      if (run.killed) kills[kind]++;
      else {
        kills.missed++;
        span[kind] = run.ms;
      }
    };
    for (let round = 0; kills.install + kills.uninstall < 56; round++) {
      expect(round, "too many kills landed after the process had exited").toBeLessThan(80);
      // kill an install into an empty home: either nothing or everything is installed, and a rerun completes it
      expect(await checkConsistency(home)).toEqual([]);
      await attempt("install", ["plugin", "install", "app@mkt-crash"]);
      const afterInstallKill = await checkConsistency(home);
      expect([[], all]).toContainEqual(afterInstallKill);
      if (afterInstallKill.length > 0) kills.changed++;
      const rerun = await agent(["plugin", "install", "app@mkt-crash"], { env: env() });
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(await checkConsistency(home)).toEqual(all);

      // kill an uninstall with --prune: app stays or goes as a whole, its orphans stay or go as a whole
      await attempt("uninstall", ["plugin", "uninstall", "app@mkt-crash", "--prune", "-y"]);
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
      // no staging dir, and no temp file of a state write, of a killed process outlives the next command
      expect(existsSync(join(home, "plugins/cache/.staging")) ? readdirSync(join(home, "plugins/cache/.staging")) : []).toEqual([]);
      expect([home, join(home, "plugins")].flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith(".tmp")))).toEqual([]);
    }
    console.log(`crash test: ${kills.install} install and ${kills.uninstall} uninstall kills mid-run (${kills.missed} runs finished first), ${kills.changed} past the commit point`);
  }, 300_000);
});
