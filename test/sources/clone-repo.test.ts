import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepo } from "../../registry/git/clone-repo.js";
import { fetchPlugin } from "../../registry/sources/index.js";
import { createBareRepo, git, startGitServer, type GitServer } from "../support/git-server.js";
import { fetchContext, freshDest, pluginTree, removeTempDirs } from "./fixtures.js";

afterAll(removeTempDirs);

const options = { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" }, timeoutMs: 30_000 };

describe("git fetches take as little as possible and pin the commit", () => {
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer();
  });
  afterAll(() => server.close());

  it("without a sha: a depth-1 single-branch clone without tags, at the ref's head", async () => {
    const repo = createBareRepo(server.root, "history", [{ "a.txt": "1" }, { "a.txt": "2" }, { "a.txt": "3" }], { tags: { "p--v1.0.0": 0 }, branches: { dev: 1 } });
    const dest = freshDest();
    const { commit } = await cloneRepo({ url: server.url("history"), dest }, options);
    expect(commit).toBe(repo.commits[2]);
    expect(git(dest, ["rev-parse", "--is-shallow-repository"])).toBe("true");
    expect(git(dest, ["rev-list", "--count", "HEAD"])).toBe("1");
    expect(git(dest, ["tag", "-l"])).toBe("");
    expect(git(dest, ["branch", "-r"])).not.toContain("dev");
    const dev = await cloneRepo({ url: server.url("history"), dest: freshDest(), ref: "dev" }, options);
    expect(dev.commit).toBe(repo.commits[1]);
  });

  it("with a sha: a blobless clone of the one branch, checked out detached at exactly that commit", async () => {
    const repo = createBareRepo(server.root, "pin", [{ "a.txt": "1" }, { "a.txt": "2" }, { "a.txt": "3" }]);
    const dest = freshDest();
    const { commit } = await cloneRepo({ url: server.url("pin"), dest, sha: repo.commits[0] }, options);
    expect(commit).toBe(repo.commits[0]);
    expect(git(dest, ["config", "remote.origin.partialclonefilter"])).toBe("blob:none");
    expect(git(dest, ["rev-parse", "HEAD"])).toBe(repo.commits[0]);
  });

  it("github {repo, ref, sha}: a sha that is not on the ref is E_REF_NOT_FOUND; one that is, is checked out", async () => {
    const repo = createBareRepo(server.root, "acme/split", [pluginTree("split", "1.0.0"), pluginTree("split", "2.0.0")], { branches: { stable: 0 } });
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}` };
    await expect(fetchPlugin({ source: "github", repo: "acme/split", ref: "stable", sha: repo.commits[1]! }, freshDest(), ctx)).rejects.toMatchObject({
      code: "E_REF_NOT_FOUND",
      message: expect.stringContaining(`Commit ${repo.commits[1]} is not in the history of stable`),
      hint: expect.stringContaining("Pin a sha that the ref contains"),
    });
    const onMain = await fetchPlugin({ source: "github", repo: "acme/split", ref: "main", sha: repo.commits[0]! }, freshDest(), ctx);
    expect(onMain.commit).toBe(repo.commits[0]);
    const stable = await fetchPlugin({ source: "github", repo: "acme/split", ref: "stable" }, freshDest(), ctx);
    expect(stable.commit).toBe(repo.commits[0]);
  });

  it("git-subdir {url: owner/repo, path, sha}: only that subtree, at the pinned commit", async () => {
    const repo = createBareRepo(server.root, "acme/mono", [
      { ...pluginTree("tool", "1.0.0", "tools/x/"), "tools/y/other.txt": "y", "docs/guide.md": "g" },
      { ...pluginTree("tool", "2.0.0", "tools/x/") },
    ]);
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}` };
    const dest = freshDest();
    const fetched = await fetchPlugin({ source: "git-subdir", url: "acme/mono", path: "./tools/x/", sha: repo.commits[0]! }, dest, ctx);
    expect(fetched).toMatchObject({ dir: join(dest, "tools/x"), commit: repo.commits[0], subdirPath: "tools/x" });
    expect(existsSync(join(dest, "tools/x/.claude-plugin/plugin.json"))).toBe(true);
    expect(existsSync(join(dest, "tools/y"))).toBe(false);
    expect(existsSync(join(dest, "docs"))).toBe(false);
    expect(existsSync(join(dest, ".git"))).toBe(false);
  });
});
