import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { agent, agentProcess } from "../support/run-agent.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("CLI conventions", () => {
  it("prints the package version with --version and exits 0", async () => {
    const run = await agent(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it("lists the command groups in --help", async () => {
    const run = await agent(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/plugin/);
    expect(run.stdout).toMatch(/--json/);
  });

  it("rejects an unknown flag with usage exit code 2 on stderr", async () => {
    const run = await agent(["plugin", "validate", "--frobnicate", "x"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option/);
    expect(run.stdout).toBe("");
  });

  it("rejects an unknown command with exit code 2", async () => {
    const run = await agent(["plugin", "frobnicate"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command/);
  });

  it("never prints ANSI colors when stdout is not a TTY", async () => {
    const run = await agentProcess(["plugin", "validate", "/nonexistent/path"], { env: { NO_COLOR: "", FORCE_COLOR: "" } });
    expect(run.stdout + run.stderr).not.toMatch(/\u001b\[/);
  });

  it("honours NO_COLOR even when colors are forced by the terminal", async () => {
    const run = await agentProcess(["plugin", "validate", "/nonexistent/path"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(run.stdout + run.stderr).not.toMatch(/\u001b\[/);
  });
});
