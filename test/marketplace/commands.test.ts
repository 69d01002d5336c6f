import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, git, startGitServer, writeTree, type GitServer } from "../support/git-server.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { marketplaceJson, marketplaceTree, removeTempDirs, tempDir } from "../sources/fixtures.js";
import { startHttpFixture, type HttpFixture } from "../sources/http-fixture.js";
import { cliUser } from "./support.js";

afterAll(removeTempDirs);

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("plugin marketplace add | list | remove | update against real git, http and npm", () => {
  let server: GitServer;
  let http: HttpFixture;
  let npm: NpmRegistry;
  beforeAll(async () => {
    server = await startGitServer();
    http = await startHttpFixture({ "/marketplace.json": marketplaceJson("web-mkt", [{ name: "remote", source: { source: "github", repo: "acme/remote" } }]) });
    npm = await startNpmRegistry();
  });
  afterAll(async () => {
    await Promise.all([server.close(), http.close(), npm.close()]);
  });

  it("add <http git url>: shallow clone in plugins/marketplaces/<name>, commit recorded, declared in user settings", async () => {
    const repo = createBareRepo(server.root, "team", [marketplaceTree("team-tools"), marketplaceTree("team-tools", { alpha: "1.1.0" })]);
    const user = cliUser();
    const r = await user.run("plugin", "marketplace", "add", server.url("team"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Successfully added marketplace: team-tools (declared in user settings)");
    const location = join(user.home, "plugins", "marketplaces", "team-tools");
    expect(user.known()["team-tools"]).toMatchObject({ source: { source: "git", url: server.url("team") }, installLocation: location, commit: repo.commits[1], scope: "user" });
    expect(git(location, ["rev-parse", "--is-shallow-repository"])).toBe("true");
    expect(readJson(join(user.home, "settings.json")).extraKnownMarketplaces).toEqual({ "team-tools": { source: { source: "git", url: server.url("team") } } });
    expect(readFileSync(join(location, ".claude-plugin", "marketplace.json"), "utf8")).toContain('"1.1.0"');
  });

  it("every marketplace source kind is added through the CLI and listed with --json", async () => {
    const dir = tempDir();
    writeTree(dir, marketplaceTree("dir-mkt"));
    const fileDir = tempDir();
    writeTree(fileDir, marketplaceTree("file-mkt"));
    const fileRepo = createBareRepo(server.root, "local", [marketplaceTree("local-mkt")]);
    createBareRepo(server.root, "acme/catalog", [marketplaceTree("gh-mkt")], { branches: { stable: 0 } });
    await npm.publish({ "package.json": JSON.stringify({ name: "@corp/catalog", version: "1.0.0" }), ...marketplaceTree("npm-mkt") });
    const user = cliUser({ AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}`, npm_config_registry: npm.url });
    const add = async (arg: string) => {
      const r = await user.run("plugin", "marketplace", "add", arg, "--json");
      expect(r.stderr).not.toContain("✘");
      expect(r.status).toBe(0);
      return r.json();
    };
    expect(await add(`./${relative(user.cwd, dir)}`)).toMatchObject({ name: "dir-mkt", source: { source: "directory", path: dir } });
    await add(join(fileDir, ".claude-plugin", "marketplace.json"));
    await add(`file://${fileRepo.bare}`);
    await add("acme/catalog@stable");
    await add(http.url("/marketplace.json"));
    await add("npm:@corp/catalog");
    const list = (await user.run("plugin", "marketplace", "list", "--json")).json() as { name: string; source: string }[];
    expect(Object.fromEntries(list.map((m) => [m.name, m.source]))).toEqual({
      "dir-mkt": "directory",
      "file-mkt": "file",
      "local-mkt": "git",
      "gh-mkt": "github",
      "web-mkt": "url",
      "npm-mkt": "npm",
    });
    expect(list.find((m) => m.name === "gh-mkt")).toMatchObject({ repo: "acme/catalog", ref: "stable" });
    const known = user.known();
    expect(known["dir-mkt"].installLocation).toBe(dir);
    expect(readJson(known["web-mkt"].installLocation).name).toBe("web-mkt");
    expect(readJson(join(known["npm-mkt"].installLocation, ".claude-plugin", "marketplace.json")).name).toBe("npm-mkt");
    const text = await user.run("plugin", "marketplace", "list");
    expect(text.stdout).toContain("gh-mkt");
    expect(text.stdout).toContain("Source: GitHub (acme/catalog@stable)");
  });

  it("--scope project and local declare it in the project's settings files; remove drops the declaration there", async () => {
    createBareRepo(server.root, "scoped", [marketplaceTree("scoped")]);
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("scoped"), "--scope", "project")).status).toBe(0);
    expect(readJson(join(user.cwd, ".agent", "settings.json")).extraKnownMarketplaces.scoped.source.url).toBe(server.url("scoped"));
    expect(existsSync(join(user.home, "settings.json"))).toBe(false);
    expect(user.known().scoped.scope).toBe("project");
    const other = cliUser();
    expect((await other.run("plugin", "marketplace", "add", server.url("scoped"), "--scope", "local")).status).toBe(0);
    expect(readJson(join(other.cwd, ".agent", "settings.local.json")).extraKnownMarketplaces.scoped).toBeDefined();
    expect((await other.run("plugin", "marketplace", "add", server.url("scoped"), "--scope", "galaxy")).status).toBe(2);
    const removed = await user.run("plugin", "marketplace", "remove", "scoped", "--json");
    expect(removed.json().settingsFiles).toEqual([join(user.cwd, ".agent", "settings.json")]);
    expect(readJson(join(user.cwd, ".agent", "settings.json")).extraKnownMarketplaces).toEqual({});
  });

  it("--sparse checks out only the given directories (plus .claude-plugin) and persists sparsePaths", async () => {
    createBareRepo(server.root, "big", [{ ...marketplaceTree("big", { alpha: "1.0.0", beta: "1.0.0" }), "docs/huge.md": "x".repeat(10_000) }]);
    const user = cliUser();
    const r = await user.run("plugin", "marketplace", "add", server.url("big"), "--sparse", "plugins/alpha");
    expect(r.status).toBe(0);
    const location = join(user.home, "plugins", "marketplaces", "big");
    expect(existsSync(join(location, "plugins", "alpha", ".claude-plugin", "plugin.json"))).toBe(true);
    expect(existsSync(join(location, "plugins", "beta"))).toBe(false);
    expect(existsSync(join(location, "docs"))).toBe(false);
    expect(user.known().big.source.sparsePaths).toEqual(["plugins/alpha"]);
    const dir = tempDir();
    writeTree(dir, marketplaceTree("dir-sparse"));
    const bad = await user.run("plugin", "marketplace", "add", dir, "--sparse", "x", "--json");
    expect(bad.status).toBe(2);
    expect(bad.json().error.code).toBe("E_USAGE");
  });

  it("a name already in use is E_ALREADY_EXISTS (state untouched) unless --force replaces it", async () => {
    createBareRepo(server.root, "first", [marketplaceTree("same-name")]);
    const second = createBareRepo(server.root, "second", [marketplaceTree("same-name", { alpha: "9.0.0" })]);
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("first"))).status).toBe(0);
    const before = user.hash();
    const clash = await user.run("plugin", "marketplace", "add", server.url("second"), "--json");
    expect(clash.status).toBe(5);
    expect(clash.json().error).toMatchObject({ code: "E_ALREADY_EXISTS", hint: expect.stringContaining("--force") });
    expect(clash.json().error.message).toContain(`A marketplace named "same-name" is already added (from Git (${server.url("first")}))`);
    expect(user.hash()).toBe(before);
    const forced = await user.run("plugin", "marketplace", "add", server.url("second"), "--force");
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("Successfully replaced marketplace: same-name");
    expect(user.known()["same-name"]).toMatchObject({ source: { url: server.url("second") }, commit: second.commits[0] });
  });

  it("remove refuses while plugins from it are installed and lists them; --force removes it and names the orphans", async () => {
    createBareRepo(server.root, "removable", [marketplaceTree("removable", { alpha: "1.0.0", beta: "1.0.0" })]);
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("removable"))).status).toBe(0);
    expect((await user.run("plugin", "install", "alpha@removable", "beta@removable")).status).toBe(0);
    const before = user.hash();
    const refused = await user.run("plugin", "marketplace", "remove", "removable", "--json");
    expect(refused.status).toBe(5);
    expect(refused.json().error).toMatchObject({ code: "E_IN_USE", details: { plugins: ["alpha@removable", "beta@removable"] } });
    expect(refused.json().error.hint).toContain("agent plugin uninstall alpha@removable beta@removable");
    expect(user.hash()).toBe(before);
    const forced = await user.run("plugin", "marketplace", "remove", "removable", "--force");
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("Still installed without their marketplace: alpha@removable, beta@removable");
    expect(user.known().removable).toBeUndefined();
    expect(existsSync(join(user.home, "plugins", "marketplaces", "removable"))).toBe(false);
    expect(readJson(join(user.home, "settings.json")).extraKnownMarketplaces).toEqual({});
    expect((await user.run("plugin", "marketplace", "remove", "removable")).status).toBe(3);
  });

  it("remove of a directory marketplace never deletes the user's directory", async () => {
    const dir = tempDir();
    writeTree(dir, marketplaceTree("mine"));
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", dir)).status).toBe(0);
    expect((await user.run("plugin", "marketplace", "remove", "mine")).status).toBe(0);
    expect(existsSync(join(dir, ".claude-plugin", "marketplace.json"))).toBe(true);
  });

  it("update fetches, records the new commit and reports plugins added, removed and bumped", async () => {
    const repo = createBareRepo(server.root, "moving", [marketplaceTree("moving", { alpha: "1.0.0", beta: "1.0.0" })]);
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("moving"))).status).toBe(0);
    const next = repo.commit({ ".claude-plugin/marketplace.json": marketplaceJson("moving", [{ name: "alpha", source: "./plugins/alpha", version: "1.1.0" }, { name: "gamma", source: "./plugins/alpha", version: "0.1.0" }]) });
    const r = await user.run("plugin", "marketplace", "update", "moving", "--json");
    expect(r.status).toBe(0);
    expect(r.json()).toEqual([
      {
        name: "moving",
        ok: true,
        previousCommit: repo.commits[0],
        commit: next,
        lastUpdated: expect.any(String),
        changes: { added: ["gamma"], removed: ["beta"], updated: [{ name: "alpha", from: "1.0.0", to: "1.1.0" }] },
      },
    ]);
    expect(user.known().moving.commit).toBe(next);
    expect(git(join(user.home, "plugins", "marketplaces", "moving"), ["rev-parse", "HEAD"])).toBe(next);
    const again = await user.run("plugin", "marketplace", "update");
    expect(again.stdout).toContain("no plugin changes");
    expect((await user.run("plugin", "marketplace", "update", "nope", "--json")).json().error.code).toBe("E_NOT_FOUND");
  });

  it("update of a directory marketplace (read in place) reports changes against the catalog recorded at add", async () => {
    const dir = tempDir();
    writeTree(dir, marketplaceTree("in-place", { alpha: "1.0.0", beta: "1.0.0" }));
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", dir)).status).toBe(0);
    expect(user.known()["in-place"].catalog).toEqual({ alpha: "1.0.0", beta: "1.0.0" });
    writeTree(dir, { ".claude-plugin/marketplace.json": marketplaceJson("in-place", [{ name: "alpha", source: "./plugins/alpha", version: "2.0.0" }, { name: "delta", source: "./plugins/alpha" }]) });
    const r = await user.run("plugin", "marketplace", "update", "in-place", "--json");
    expect(r.json()[0].changes).toEqual({ added: ["delta"], removed: ["beta"], updated: [{ name: "alpha", from: "1.0.0", to: "2.0.0" }] });
    expect(user.known()["in-place"].catalog).toEqual({ alpha: "2.0.0", delta: null });
    const again = await user.run("plugin", "marketplace", "update", "in-place", "--json");
    expect(again.json()[0].changes).toEqual({ added: [], removed: [], updated: [] });
  });

  it("update of a url marketplace re-downloads the file", async () => {
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", http.url("/marketplace.json"))).status).toBe(0);
    const r = await user.run("plugin", "marketplace", "update", "web-mkt", "--json");
    expect(r.json()[0]).toMatchObject({ name: "web-mkt", ok: true, changes: { added: [], removed: [], updated: [] } });
    expect(http.requests.filter((q) => q.path === "/marketplace.json").length).toBeGreaterThanOrEqual(2);
  });
});
