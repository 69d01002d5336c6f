import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentVersion } from "../../cli/version.js";
import { agent } from "../support/run-agent.js";

/** The CLI registers only the commands its arguments can reach; every way of reaching one still works. */
const home = mkdtempSync(join(tmpdir(), "agent-reachable-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("commands reached from the arguments", () => {
  it("--version prints the version alone", async () => {
    for (const flag of ["--version", "-V"]) {
      const run = await agent([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe(agentVersion());
    }
  });

  it("finds the command after global options, including one that takes a value", async () => {
    const run = await agent(["--home", home, "--json", "plugin", "list"], { env: { AGENT_HOME: join(home, "unused") } });
    expect(run.status).toBe(0);
    expect(run.json()).toEqual([]);
  });

  it("reaches a group by its alias", async () => {
    const run = await agent(["plugins", "list", "--json"], { env: { AGENT_HOME: home } });
    expect(run.status).toBe(0);
    expect(run.json()).toEqual([]);
  });

  it("still suggests the right command for a mistyped one, and lists every command in help", async () => {
    const typo = await agent(["plugn", "list"], { env: { AGENT_HOME: home } });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("error: unknown command 'plugn'\n(Did you mean plugin?)");
    for (const args of [["--help"], ["help"]]) {
      const help = await agent(args);
      expect(help.status).toBe(0);
      for (const name of ["plugin|plugins", "run", "registry", "doctor", "login"]) expect(help.stdout).toMatch(new RegExp(`^  ${name.replace("|", "\\|")} `, "m"));
    }
  });

  it("prints the version for a --version after a command too", async () => {
    const run = await agent(["plugin", "list", "--version"], { env: { AGENT_HOME: home } });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(agentVersion());
  });
});
