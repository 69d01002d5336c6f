import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { agent } from "../support/run-agent.js";
import { authorEnv, removeWorkDirs, workDir } from "./work-dir.js";

afterEach(removeWorkDirs);

const gitEnv = { GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.invalid" };

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...gitEnv } }).trim();
}

/** A marketplace-like repo with one plugin in plugins/<name>, committed, with a bare repo as origin. */
async function pluginRepo(name: string) {
  requireTool("git");
  const root = workDir();
  const repo = join(root, "repo");
  const origin = join(root, "origin.git");
  git(root, "init", "-q", "--bare", origin);
  git(root, "init", "-q", repo);
  const init = await agent(["plugin", "init", name, "--dir", join(repo, "plugins", name)], { cwd: repo, env: authorEnv(root) });
  expect(init.status).toBe(0);
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "first");
  git(repo, "remote", "add", "origin", origin);
  return { root, repo, origin, plugin: join(repo, "plugins", name), env: authorEnv(root, gitEnv) };
}

describe("agent plugin tag", () => {
  it("creates the annotated tag name--vversion on HEAD and pushes it to a bare origin", async () => {
    const r = await pluginRepo("formatter");
    const tag = await agent(["plugin", "tag", r.plugin, "--push", "--json"], { cwd: r.repo, env: r.env });
    expect(tag.status).toBe(0);
    expect(tag.json()).toMatchObject({ tag: "formatter--v0.1.0", message: "formatter 0.1.0", pushed: true, commit: git(r.repo, "rev-parse", "HEAD") });
    expect(git(r.repo, "cat-file", "-t", "formatter--v0.1.0")).toBe("tag");
    expect(git(r.repo, "tag", "-n1", "formatter--v0.1.0")).toMatch(/formatter 0\.1\.0$/);
    expect(git(r.root, "ls-remote", "--tags", r.origin)).toContain("refs/tags/formatter--v0.1.0");
  });

  it("a dry run creates nothing; -m replaces %s with the version", async () => {
    const r = await pluginRepo("dry");
    const dry = await agent(["plugin", "tag", r.plugin, "--dry-run", "-m", "release %s", "--json"], { cwd: r.repo, env: r.env });
    expect(dry.json()).toMatchObject({ tag: "dry--v0.1.0", message: "release 0.1.0", dryRun: true });
    expect(git(r.repo, "tag", "--list")).toBe("");
  });

  it("refuses uncommitted changes in the plugin and a tag that exists locally or on origin", async () => {
    const r = await pluginRepo("careful");
    writeFileSync(join(r.plugin, "README.md"), "edited\n");
    const dirty = await agent(["plugin", "tag", r.plugin, "--json"], { cwd: r.repo, env: r.env });
    expect(dirty.status).toBe(5);
    expect(dirty.json().error).toMatchObject({ code: "E_CONFLICT", details: { changes: [" M plugins/careful/README.md"] } });
    git(r.repo, "checkout", "--", ".");
    expect((await agent(["plugin", "tag", r.plugin], { cwd: r.repo, env: r.env })).status).toBe(0);
    const again = await agent(["plugin", "tag", r.plugin, "--json"], { cwd: r.repo, env: r.env });
    expect(again.json().error.code).toBe("E_ALREADY_EXISTS");
    git(r.repo, "push", "-q", "origin", "refs/tags/careful--v0.1.0");
    git(r.repo, "tag", "-d", "careful--v0.1.0");
    const remote = await agent(["plugin", "tag", r.plugin, "--push", "--json"], { cwd: r.repo, env: r.env });
    expect(remote.json().error).toMatchObject({ code: "E_ALREADY_EXISTS", message: expect.stringContaining("on origin") });
    expect(git(r.repo, "tag", "--list")).toBe("");
  });
});
