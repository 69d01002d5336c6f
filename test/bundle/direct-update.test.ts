import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, git, startGitServer, type BareRepo, type GitServer } from "../support/git-server.js";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "../author/work-dir.js";

let server: GitServer;
let moving: BareRepo;
let kit: BareRepo;
let branchy: BareRepo;
beforeAll(async () => {
  server = await startGitServer();
  moving = createBareRepo(server.root, "acme/moving", [{ ".claude-plugin/plugin.json": JSON.stringify({ name: "moving", version: "1.0.0" }), "commands/go.md": "Go.\n" }]);
  kit = createBareRepo(server.root, "acme/kit", [{ "plugins/fmt/.claude-plugin/plugin.json": JSON.stringify({ name: "fmt", version: "2.0.0" }), "plugins/fmt/commands/fmt.md": "Format.\n" }]);
  branchy = createBareRepo(server.root, "acme/branchy", [{ ".claude-plugin/plugin.json": JSON.stringify({ name: "branchy", version: "1.0.0" }) }], { branches: { stable: 0 } });
  createBareRepo(server.root, "other/kit", [{ "plugins/fmt/.claude-plugin/plugin.json": JSON.stringify({ name: "fmt", version: "9.0.0" }) }]);
});
afterAll(() => server.close());
afterEach(removeWorkDirs);

type Record = { version: string; installPath: string; gitCommitSha?: string; directSource?: unknown };
function installed(home: string): { [id: string]: Record[] } {
  return JSON.parse(readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8")).plugins;
}

function writePlugin(dir: string, name: string, version: string, files: { [path: string]: string } = {}): void {
  for (const [path, text] of Object.entries({ ".claude-plugin/plugin.json": JSON.stringify({ name, version }), ...files })) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe("update, details, why and uninstall of direct installs", () => {
  it("update re-reads a local directory; details and list show the directory; uninstall removes it", async () => {
    const work = workDir("agent-direct-");
    const home = workDir("agent-direct-home-");
    const env = { AGENT_HOME: home };
    writePlugin(join(work, "mine"), "mine", "0.1.0", { "commands/one.md": "One.\n" });
    writePlugin(join(work, "other"), "other", "1.0.0");
    expect((await agent(["plugin", "install", "./mine", "./other", "--json"], { cwd: work, env })).status).toBe(0);
    expect(installed(home)["mine@local"]![0]!.directSource).toEqual({ source: "directory", path: join(work, "mine") });

    writePlugin(join(work, "mine"), "mine", "0.2.0", { "commands/two.md": "Two.\n" });
    writePlugin(join(work, "other"), "other", "1.1.0");
    const update = await agent(["plugin", "update", "--json"], { cwd: workDir("agent-elsewhere-"), env });
    expect(update.status).toBe(0);
    expect(update.json().updates.map((u: { id: string; to: string }) => `${u.id} ${u.to}`).sort()).toEqual(["mine@local 0.2.0", "other@local 1.1.0"]);
    const mine = installed(home)["mine@local"]![0]!;
    expect(mine.version).toBe("0.2.0");
    expect(readFileSync(join(mine.installPath, "commands", "two.md"), "utf8")).toBe("Two.\n");
    expect(installed(home)["other@local"]![0]!.version).toBe("1.1.0");

    const details = await agent(["plugin", "details", "mine@local", "--json"], { env });
    expect(details.status).toBe(0);
    expect(details.json().source).toEqual({ source: "directory", path: join(work, "mine") });
    expect(details.json().components.commands.sort()).toEqual(["one", "two"]);
    const list = await agent(["plugin", "list", "--json"], { env });
    expect(list.json().find((p: { id: string }) => p.id === "other@local").directSource).toEqual({ source: "directory", path: join(work, "other") });
    const why = await agent(["plugin", "why", "mine@local"], { env });
    expect(why.status).toBe(0);
    expect(why.stdout).toContain("mine@local");

    const bundle = await agent(["plugin", "bundle", "mine@local", "-o", join(work, "mine.tgz"), "--json"], { env });
    expect(bundle.status).toBe(0);
    const elsewhere = workDir("agent-direct-home-");
    expect((await agent(["plugin", "install", join(work, "mine.tgz"), "--json"], { env: { AGENT_HOME: elsewhere } })).status).toBe(0);
    expect(installed(elsewhere)["mine@local"]![0]!.version).toBe("0.2.0");

    expect((await agent(["plugin", "uninstall", "mine@local", "--json"], { env })).status).toBe(0);
    expect(installed(home)["mine@local"]).toBeUndefined();
    expect(existsSync(mine.installPath)).toBe(false);
  });

  it("the lockfile records the directory a plugin came from; when it is gone, update says how to move or remove the plugin and changes nothing", async () => {
    const work = workDir("agent-direct-");
    const home = workDir("agent-direct-home-");
    const env = { AGENT_HOME: home };
    writePlugin(join(work, "gone"), "gone", "1.0.0");
    expect((await agent(["plugin", "install", "./gone", "--json"], { cwd: work, env })).status).toBe(0);
    const lock = JSON.parse(readFileSync(join(home, "agent-lock.json"), "utf8"));
    expect(lock.plugins["gone@local"].resolved).toBe(`directory:${join(work, "gone")}`);

    rmSync(join(work, "gone"), { recursive: true });
    const before = readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8");
    const update = await agent(["plugin", "update", "gone@local", "--json"], { env });
    expect(update.status).toBe(3);
    const error = update.json().error;
    expect(error.code).toBe("E_NOT_FOUND");
    expect(error.message).toBe(`Source path does not exist: ${join(work, "gone")}`);
    expect(error.hint).toContain("agent plugin uninstall gone@local");
    expect(error.hint).not.toContain("marketplace update");
    expect(readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8")).toBe(before);
  });

  it("update re-fetches a git URL and a GitHub folder and moves each to the new commit", async () => {
    const home = workDir("agent-direct-home-");
    const env = { AGENT_HOME: home, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}`, PATH: process.env.PATH };
    expect((await agent(["plugin", "install", server.url("acme/moving"), "acme/kit:plugins/fmt", "--json"], { env })).status).toBe(0);
    const before = installed(home);
    expect(before["moving@git"]![0]!.gitCommitSha).toBe(moving.commits[0]);
    expect(before["fmt@github"]![0]!.directSource).toEqual({ source: "github", repo: "acme/kit", path: "plugins/fmt" });

    const unchanged = await agent(["plugin", "update", "moving@git", "--json"], { env });
    expect(unchanged.status).toBe(0);
    expect(unchanged.json().updates).toEqual([{ id: "moving@git", from: "1.0.0", to: "1.0.0", changes: [] }]);

    const movedTo = moving.commit({ "commands/go.md": "Go faster.\n" });
    const kitTo = kit.commit({ "plugins/fmt/.claude-plugin/plugin.json": JSON.stringify({ name: "fmt", version: "2.1.0" }) });
    const update = await agent(["plugin", "update", "moving@git", "fmt@github", "--json"], { env });
    expect(update.status).toBe(0);
    const after = installed(home);
    const movingNow = after["moving@git"]![0]!;
    expect(movingNow.gitCommitSha).toBe(movedTo);
    expect(readFileSync(join(movingNow.installPath, "commands", "go.md"), "utf8")).toBe("Go faster.\n");
    expect(after["fmt@github"]![0]!.version).toBe("2.1.0");
    expect(after["fmt@github"]![0]!.gitCommitSha).toBe(kitTo);
    expect(update.json().updates.find((u: { id: string }) => u.id === "moving@git").changes.join(" ")).toContain("commit");

    // the recorded source also serves an install by id at another scope
    const project = workDir("agent-direct-project-");
    const atProject = await agent(["plugin", "install", "fmt@github", "--scope", "project", "--json"], { cwd: project, env });
    expect(atProject.status, atProject.stdout).toBe(0);
    expect(installed(home)["fmt@github"]!.map((r) => (r as { scope?: string }).scope).sort()).toEqual(["project", "user"]);
  });

  it("a git URL#branch and owner/repo@branch follow that branch: update moves with it, not with main", async () => {
    const home = workDir("agent-direct-home-");
    const env = { AGENT_HOME: home, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}`, PATH: process.env.PATH };
    const install = await agent(["plugin", "install", `${server.url("acme/branchy")}#stable`, "acme/branchy@stable", "--json"], { env });
    expect(install.status, install.stdout).toBe(0);
    expect(installed(home)["branchy@git"]![0]!.directSource).toEqual({ source: "git", url: server.url("acme/branchy"), ref: "stable" });
    expect(installed(home)["branchy@github"]![0]!.directSource).toEqual({ source: "github", repo: "acme/branchy", ref: "stable" });

    const onMain = branchy.commit({ ".claude-plugin/plugin.json": JSON.stringify({ name: "branchy", version: "2.0.0-dev" }) });
    const stay = await agent(["plugin", "update", "--json"], { env });
    expect(stay.status).toBe(0);
    expect(stay.json().updates.map((u: { changes: string[] }) => u.changes)).toEqual([[], []]);

    const released = branchy.commit({ ".claude-plugin/plugin.json": JSON.stringify({ name: "branchy", version: "1.1.0" }) });
    git(branchy.work, ["branch", "-f", "stable", released]);
    git(branchy.work, ["push", "-q", "--force", "--all", branchy.bare]);
    expect(released).not.toBe(onMain);
    const move = await agent(["plugin", "update", "--json"], { env });
    expect(move.status).toBe(0);
    for (const id of ["branchy@git", "branchy@github"]) {
      expect(installed(home)[id]![0]!.version).toBe("1.1.0");
      expect(installed(home)[id]![0]!.gitCommitSha).toBe(released);
    }
  });

  it("the same id from a second place is refused naming both, and the first install stays", async () => {
    const work = workDir("agent-direct-");
    const home = workDir("agent-direct-home-");
    const env = { AGENT_HOME: home, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}`, PATH: process.env.PATH };
    writePlugin(join(work, "a", "mine"), "mine", "1.0.0");
    writePlugin(join(work, "b", "mine"), "mine", "2.0.0");
    expect((await agent(["plugin", "install", "./a/mine"], { cwd: work, env })).status).toBe(0);
    const again = await agent(["plugin", "install", "./a/mine", "--json"], { cwd: work, env });
    expect(again.status).toBe(0);
    expect(again.json().alreadyInstalled).toEqual(["mine@local"]);

    const second = await agent(["plugin", "install", "./b/mine", "--json"], { cwd: work, env });
    expect(second.status).not.toBe(0);
    const error = second.json().error;
    expect(error.code).toBe("E_ALREADY_EXISTS");
    expect(error.message).toContain(join(work, "a", "mine"));
    expect(error.message).toContain(join(work, "b", "mine"));
    expect(installed(home)["mine@local"]![0]!.version).toBe("1.0.0");

    const both = await agent(["plugin", "install", "acme/kit:plugins/fmt", "other/kit:plugins/fmt", "--json"], { cwd: work, env });
    expect(both.json().error.code).toBe("E_ALREADY_EXISTS");
    expect(both.json().error.message).toContain("other/kit:plugins/fmt");
    expect(installed(home)["fmt@github"]).toBeUndefined();
  });
});
