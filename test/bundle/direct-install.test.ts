import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, type GitServer } from "../support/git-server.js";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "../author/work-dir.js";

let server: GitServer;
beforeAll(async () => {
  server = await startGitServer();
  createBareRepo(server.root, "acme/tools", [
    {
      "plugins/fmt/.claude-plugin/plugin.json": JSON.stringify({ name: "fmt", version: "1.2.0" }),
      "plugins/fmt/commands/format.md": "---\ndescription: Format the file\n---\nFormat $ARGUMENTS\n",
      "README.md": "tools\n",
    },
  ]);
  createBareRepo(server.root, "acme/lint", [{ ".claude-plugin/plugin.json": JSON.stringify({ name: "lint", version: "0.4.0" }), "skills/lint/SKILL.md": "---\nname: lint\ndescription: lints\n---\nLint.\n" }]);
});
afterAll(() => server.close());

afterEach(removeWorkDirs);
const temp = workDir;

function installed(home: string): Record<string, { version: string; installPath: string; gitCommitSha?: string }[]> {
  return JSON.parse(readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8")).plugins;
}

describe("agent plugin install of a directory, owner/repo[:path] or git URL", () => {
  it("installs a local plugin directory as <name>@local", async () => {
    const work = temp("agent-direct-");
    const home = temp("agent-direct-home-");
    expect((await agent(["plugin", "init", "mine", "--with", "skills,commands"], { cwd: work })).status).toBe(0);
    const install = await agent(["plugin", "install", "./mine", "--json"], { cwd: work, env: { AGENT_HOME: home } });
    expect(install.status).toBe(0);
    expect(install.json().requested).toEqual(["mine@local"]);
    const record = installed(home)["mine@local"]![0]!;
    expect(record.version).toBe("0.1.0");
    expect(readFileSync(join(record.installPath, "commands", "hello.md"), "utf8")).toContain("Say hello");
  });

  it("installs a folder of a GitHub repository (owner/repo:path) and a whole one by git URL", async () => {
    const home = temp("agent-direct-home-");
    const env = { AGENT_HOME: home, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}`, PATH: process.env.PATH };
    const sub = await agent(["plugin", "install", "acme/tools:plugins/fmt", "--json"], { env });
    expect(sub.status).toBe(0);
    const fmt = installed(home)["fmt@github"]![0]!;
    expect(fmt.version).toBe("1.2.0");
    expect(existsSync(join(fmt.installPath, "commands", "format.md"))).toBe(true);
    expect(existsSync(join(fmt.installPath, "README.md"))).toBe(false);
    const byUrl = await agent(["plugin", "install", server.url("acme/lint"), "--json"], { env });
    expect(byUrl.status).toBe(0);
    const lint = installed(home)["lint@git"]![0]!;
    expect(lint.version).toBe("0.4.0");
    expect(existsSync(join(lint.installPath, "skills", "lint", "SKILL.md"))).toBe(true);
    const whole = await agent(["plugin", "install", "acme/lint", "--json"], { env });
    expect(whole.status).toBe(0);
    expect(installed(home)["lint@github"]![0]!.version).toBe("0.4.0");
  });

  it("a directory that does not exist is E_NOT_FOUND and changes nothing", async () => {
    const home = temp("agent-direct-home-");
    const missing = await agent(["plugin", "install", "./nowhere", "--json"], { cwd: temp("agent-direct-"), env: { AGENT_HOME: home } });
    expect(missing.status).toBe(3);
    expect(missing.json().error.code).toBe("E_NOT_FOUND");
    expect(existsSync(join(home, "plugins", "installed_plugins.json"))).toBe(false);
  });
});
