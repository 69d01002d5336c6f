import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentProcess } from "../support/run-agent.js";

/** README's first command, as a new user runs it: no TTY, a fresh AGENT_HOME, no network, no flags. */
describe("npx agent plugin install starter@agent-builtin", () => {
  const home = mkdtempSync(join(tmpdir(), "agent-readme-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("installs the starter plugin and its dependencies from the built-in marketplace", async () => {
    const run = await agentProcess(["plugin", "install", "starter@agent-builtin"], { env: { AGENT_HOME: home } });
    expect(run.stderr + run.stdout).toContain("Successfully installed plugin: starter@agent-builtin");
    expect(run.status).toBe(0);
    // core-tools asks for workspace write: shipped with agent, so it is shown rather than asked
    expect(run.stderr + run.stdout).toContain("core-tools@agent-builtin (shipped with agent) may use: workspace: write");
    const installed = JSON.parse(readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8"));
    for (const id of ["starter", "code-review", "safety-hooks", "commit-helper", "core-tools"]) {
      const [record] = installed.plugins[`${id}@agent-builtin`];
      expect(existsSync(join(record.installPath, ".claude-plugin", "plugin.json")), id).toBe(true);
    }
    const settings = JSON.parse(readFileSync(join(home, "settings.json"), "utf8"));
    expect(settings.enabledPlugins["starter@agent-builtin"]).toBe(true);
  });
});
