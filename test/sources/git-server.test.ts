import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "./fixtures.js";
import { createBareRepo, git, startGitServer, type GitServer } from "../support/git-server.js";

afterAll(removeTempDirs);

describe("loopback git server", () => {
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer();
  });
  afterAll(() => server.close());

  it("serves a shallow clone over smart HTTP with annotated tags", async () => {
    const run = promisify(execFile);
    const repo = createBareRepo(server.root, "hello", [{ "a.txt": "one" }, { "a.txt": "two" }], { tags: { "p--v1.0.0": 0 } });
    const out = join(tempDir("clone-"), "c");
    await run("git", ["clone", "-q", "--depth", "1", server.url("hello"), out]);
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("two");
    expect(git(out, ["rev-parse", "HEAD"])).toBe(repo.commits[1]);
    const { stdout: tags } = await run("git", ["ls-remote", "--tags", server.url("hello")]);
    expect(tags).toContain("refs/tags/p--v1.0.0^{}");
    expect(tags).toContain(repo.commits[0]);
    expect(server.requests.some((r) => r.path.includes("git-upload-pack"))).toBe(true);
  });
});
