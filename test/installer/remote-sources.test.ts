import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, writeTree, type GitServer } from "../support/git-server.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { agent } from "../support/run-agent.js";
import { startHttpFixture, type HttpFixture } from "../sources/http-fixture.js";
import { checkConsistency } from "./support/check-consistency.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { hashTree, readJson } from "./support/state-hash.js";

/** Marketplace entries whose plugins live elsewhere: git on loopback, an npm registry on loopback, a .tgz over http. */
const tree = (name: string, version?: string) => ({
  ".claude-plugin/plugin.json": JSON.stringify({ name, ...(version ? { version } : {}) }),
  [`skills/${name}/SKILL.md`]: `---\nname: ${name}\ndescription: ${name} skill\n---\nHello from ${name}\n`,
});

function tgzOf(files: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "agent-tgz-"));
  writeTree(dir, files);
  const out = join(mkdtempSync(join(tmpdir(), "agent-tgz-")), "p.tgz");
  execFileSync("tar", ["-czf", out, "-C", dir, "."]);
  return readFileSync(out);
}

let git: GitServer;
let npm: NpmRegistry;
let http: HttpFixture;
const archive = tgzOf(Object.fromEntries(Object.entries(tree("arch", "3.0.0")).map(([k, v]) => [`pkg/${k}`, v])));
let commits: string[];

beforeAll(async () => {
  [git, npm, http] = await Promise.all([startGitServer(), startNpmRegistry(), startHttpFixture({ "/arch.tgz": archive })]);
  commits = createBareRepo(git.root, "gitplug", [tree("gitplug", "2.0.0"), tree("gitplug", "2.1.0")]).commits;
  createBareRepo(git.root, "nover", [tree("nover")]);
  createBareRepo(git.root, "gapp", [{ ...tree("gapp", "1.0.0"), ".claude-plugin/plugin.json": JSON.stringify({ name: "gapp", version: "1.0.0", dependencies: ["glib"] }) }]);
  createBareRepo(git.root, "glib", [tree("glib", "0.3.0")]);
  await npm.publish({ "package.json": JSON.stringify({ name: "@corp/npmplug", version: "4.5.6" }), ...tree("npmplug") });
});

afterAll(async () => {
  await Promise.all([git.close(), npm.close(), http.close()]);
});

function setup(entries: { name: string; source: unknown }[]): string {
  const home = tempHome();
  const market = makeMarketplace("mkt-remote", []);
  writeFileSync(join(market, ".claude-plugin/marketplace.json"), JSON.stringify({ name: "mkt-remote", owner: { name: "t" }, plugins: entries }));
  registerMarketplaces(home, { "mkt-remote": market });
  return home;
}

describe("install from remote plugin sources", () => {
  it("git url: the head commit, plugin.json's version, no .git in the cache; the commit is recorded", async () => {
    const home = setup([{ name: "gitplug", source: { source: "url", url: git.url("gitplug") } }]);
    const r = await agent(["plugin", "install", "gitplug@mkt-remote"], { env: { AGENT_HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    const record = readJson(join(home, "plugins/installed_plugins.json")).plugins["gitplug@mkt-remote"][0];
    expect(record).toMatchObject({ version: "2.1.0", gitCommitSha: commits[1], installPath: join(home, "plugins/cache/mkt-remote/gitplug/2.1.0") });
    expect(existsSync(join(record.installPath, ".git"))).toBe(false);
    expect(existsSync(join(record.installPath, "skills/gitplug/SKILL.md"))).toBe(true);
    expect(await checkConsistency(home)).toEqual(["gitplug@mkt-remote"]);
  });

  it("a git plugin's own plugin.json dependencies are resolved and installed with it, in one commit", async () => {
    const home = setup([
      { name: "gapp", source: { source: "url", url: git.url("gapp") } },
      { name: "glib", source: { source: "url", url: git.url("glib") } },
    ]);
    const r = await agent(["plugin", "install", "gapp@mkt-remote"], { env: { AGENT_HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("(+ 1 dependency: glib)");
    const installed = readJson(join(home, "plugins/installed_plugins.json")).plugins;
    expect(installed["glib@mkt-remote"][0]).toMatchObject({ version: "0.3.0", auto: true });
    expect(await checkConsistency(home)).toEqual(["gapp@mkt-remote", "glib@mkt-remote"]);
    expect(existsSync(join(home, "plugins/cache/.staging"))).toBe(false);
    // installed already: the resolver reads the installed copy, nothing is fetched or changed
    const before = hashTree(join(home, "plugins"));
    const requests = git.requests.length;
    const again = await agent(["plugin", "install", "gapp@mkt-remote"], { env: { AGENT_HOME: home } });
    expect(again.stdout).toContain("is already installed");
    expect(hashTree(join(home, "plugins"))).toBe(before);
    expect(git.requests.length).toBe(requests);
  });

  it("git url without any version: the 12-character commit is the version (§5.1)", async () => {
    const home = setup([{ name: "nover", source: { source: "url", url: git.url("nover") } }]);
    expect((await agent(["plugin", "install", "nover@mkt-remote"], { env: { AGENT_HOME: home } })).status).toBe(0);
    const record = readJson(join(home, "plugins/installed_plugins.json")).plugins["nover@mkt-remote"][0];
    expect(record.version).toMatch(/^[0-9a-f]{12}$/);
    expect(record.gitCommitSha.startsWith(record.version)).toBe(true);
  });

  it("update of a git plugin re-fetches a new commit under the same version, says so, and collects the old cache dir", async () => {
    const repo = createBareRepo(git.root, "samever", [tree("samever", "1.0.0")]);
    const home = setup([{ name: "samever", source: { source: "url", url: git.url("samever") } }]);
    const run = (...args: string[]) => agent(args, { env: { AGENT_HOME: home } });
    expect((await run("plugin", "install", "samever@mkt-remote")).status).toBe(0);
    const before = readJson(join(home, "plugins/installed_plugins.json")).plugins["samever@mkt-remote"][0];
    expect((await run("plugin", "update", "samever@mkt-remote")).stdout).toContain("already at the latest version (1.0.0)");
    const sha = repo.commit({ "skills/samever/SKILL.md": "---\nname: samever\ndescription: changed\n---\nNew text\n" });
    const r = await run("plugin", "update", "samever@mkt-remote");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plugin "samever" updated from 1.0.0 to 1.0.0');
    const after = readJson(join(home, "plugins/installed_plugins.json")).plugins["samever@mkt-remote"][0];
    expect(after.gitCommitSha).toBe(sha);
    expect(after.installPath).not.toBe(before.installPath);
    expect(readFileSync(join(after.installPath, "skills/samever/SKILL.md"), "utf8")).toContain("New text");
    expect(existsSync(before.installPath)).toBe(false);
    expect(await checkConsistency(home)).toEqual(["samever@mkt-remote"]);
  });

  it("npm: the package version is the cache key when plugin.json has none", async () => {
    const home = setup([{ name: "npmplug", source: { source: "npm", package: "@corp/npmplug", registry: npm.url } }]);
    const r = await agent(["plugin", "install", "npmplug@mkt-remote"], { env: { AGENT_HOME: home, PATH: process.env.PATH } });
    expect(r.status, r.stderr).toBe(0);
    const record = readJson(join(home, "plugins/installed_plugins.json")).plugins["npmplug@mkt-remote"][0];
    expect(record.version).toBe("4.5.6");
    expect(existsSync(join(record.installPath, "skills/npmplug/SKILL.md"))).toBe(true);
  });

  it("archive: installed when the sha256 matches; a mismatch fails with E_INTEGRITY and changes nothing", async () => {
    const sha256 = createHash("sha256").update(archive).digest("hex");
    const good = setup([{ name: "arch", source: { source: "archive", url: http.url("/arch.tgz"), sha256 } }]);
    expect((await agent(["plugin", "install", "arch@mkt-remote"], { env: { AGENT_HOME: good } })).status).toBe(0);
    expect(readJson(join(good, "plugins/installed_plugins.json")).plugins["arch@mkt-remote"][0].version).toBe("3.0.0");

    const bad = setup([{ name: "arch", source: { source: "archive", url: http.url("/arch.tgz"), sha256: "0".repeat(64) } }]);
    const before = hashTree(bad);
    const r = await agent(["plugin", "install", "arch@mkt-remote", "--json"], { env: { AGENT_HOME: bad } });
    expect(r.status).not.toBe(0);
    expect(r.json().error.code).toBe("E_INTEGRITY");
    expect(hashTree(bad)).toBe(before);
  });
});
