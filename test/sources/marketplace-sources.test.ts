import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMarketplace } from "../../registry/marketplace/read-marketplace.js";
import { fetchMarketplace } from "../../registry/sources/index.js";
import { createBareRepo, git, startGitServer, writeTree, type GitServer } from "../support/git-server.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { fetchContext, freshDest, marketplaceJson, marketplaceTree, pluginTree, removeTempDirs, tempDir } from "./fixtures.js";
import { closedPort, startHttpFixture, type HttpFixture } from "./http-fixture.js";
import { startForwardProxy } from "../support/forward-proxy.js";

afterAll(removeTempDirs);

describe("marketplace sources against real git, http and npm on loopback", () => {
  let server: GitServer;
  let authed: GitServer;
  let http: HttpFixture;
  let npm: NpmRegistry;
  const token = "ghp_" + "T".repeat(36);
  beforeAll(async () => {
    server = await startGitServer();
    authed = await startGitServer({ token });
    http = await startHttpFixture({ "/marketplace.json": marketplaceJson("web-mkt"), "/secret.json": marketplaceJson("secret-mkt"), "/hang.json": "hang" });
    npm = await startNpmRegistry();
  });
  afterAll(async () => {
    await Promise.all([server.close(), authed.close(), http.close(), npm.close()]);
  });

  it("directory: reads in place, resolves plugins against the directory", async () => {
    const dir = tempDir();
    writeTree(dir, marketplaceTree("dir-mkt"));
    const m = await fetchMarketplace({ source: "directory", path: dir }, freshDest(), fetchContext());
    expect(m.installLocation).toBe(dir);
    const read = await readMarketplace(m.installLocation);
    expect(read.manifest.name).toBe("dir-mkt");
    expect(read.pluginRoot).toBe(dir);
  });

  it("file: a .json file in .claude-plugin/ resolves plugins against the marketplace root", async () => {
    const dir = tempDir();
    writeTree(dir, marketplaceTree("file-mkt"));
    const file = join(dir, ".claude-plugin", "marketplace.json");
    const m = await fetchMarketplace({ source: "file", path: file }, freshDest(), fetchContext());
    expect(m.installLocation).toBe(file);
    expect(m.pluginRoot).toBe(dir);
  });

  it("git over smart HTTP: shallow single-branch clone pinned to the head commit", async () => {
    const repo = createBareRepo(server.root, "git-mkt", [marketplaceTree("git-mkt"), marketplaceTree("git-mkt", { alpha: "1.1.0" })]);
    const dest = freshDest();
    const m = await fetchMarketplace({ source: "git", url: server.url("git-mkt") }, dest, fetchContext());
    expect(m.commit).toBe(repo.commits[1]);
    expect(git(dest, ["rev-parse", "--is-shallow-repository"])).toBe("true");
    expect(git(dest, ["tag", "-l"])).toBe("");
    expect((await readMarketplace(dest)).manifest.plugins[0]).toMatchObject({ name: "alpha", version: "1.1.0" });
  });

  it("git with a ref and sparse paths checks out only those directories", async () => {
    createBareRepo(server.root, "sparse-mkt", [marketplaceTree("sparse-mkt", { alpha: "1.0.0", beta: "1.0.0" })], { branches: { stable: 0 } });
    const dest = freshDest();
    await fetchMarketplace({ source: "git", url: server.url("sparse-mkt"), ref: "stable", sparsePaths: ["plugins/alpha"] }, dest, fetchContext());
    expect(existsSync(join(dest, ".claude-plugin", "marketplace.json"))).toBe(true);
    expect(existsSync(join(dest, "plugins", "alpha", ".claude-plugin", "plugin.json"))).toBe(true);
    expect(existsSync(join(dest, "plugins", "beta"))).toBe(false);
  });

  it("git over file:// (which Claude Code rejects) works", async () => {
    const repo = createBareRepo(server.root, "local-mkt", [marketplaceTree("local-mkt")]);
    const dest = freshDest();
    const m = await fetchMarketplace({ source: "git", url: `file://${repo.bare}` }, dest, fetchContext());
    expect(m.commit).toBe(repo.commits[0]);
  });

  it("github: owner/repo against AGENT_GITHUB_BASE_URL, GITHUB_TOKEN sent as http auth but never written to disk", async () => {
    createBareRepo(authed.root, "acme/tools", [marketplaceTree("acme-tools")]);
    const dest = freshDest();
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${authed.port}`, GITHUB_TOKEN: token };
    const m = await fetchMarketplace({ source: "github", repo: "acme/tools" }, dest, ctx);
    expect((await readMarketplace(m.installLocation)).manifest.name).toBe("acme-tools");
    expect(authed.requests.some((r) => r.authorization?.startsWith("Basic "))).toBe(true);
    expect(readFileSync(join(dest, ".git", "config"), "utf8")).not.toContain(token);
    expect(ctx.lines.join("\n")).not.toContain(token);
  });

  it("github without a token against a server that requires one fails with E_AUTH and no prompt", async () => {
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${authed.port}` };
    await expect(fetchMarketplace({ source: "github", repo: "acme/tools" }, freshDest(), ctx)).rejects.toMatchObject({ code: "E_AUTH" });
  });

  it("url: downloads marketplace.json and stores it as a file; headers expand environment variables", async () => {
    const dest = freshDest();
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, CATALOG_TOKEN: "s3cr3t-value" };
    const m = await fetchMarketplace({ source: "url", url: http.url("/secret.json"), headers: { Authorization: "Bearer ${CATALOG_TOKEN}" } }, dest, ctx);
    expect(m.installLocation).toBe(dest);
    expect(m.pluginRoot).toBeUndefined();
    expect(JSON.parse(readFileSync(dest, "utf8")).name).toBe("secret-mkt");
    expect(http.requests.at(-1)!.headers.authorization).toBe("Bearer s3cr3t-value");
  });

  it("url through HTTP_PROXY: the proxy fetches it (absolute form); NO_PROXY goes direct; the proxy's failures are explained", async () => {
    const proxy = await startForwardProxy();
    try {
      const ctx = fetchContext();
      ctx.env = { ...ctx.env, HTTP_PROXY: proxy.url };
      const dest = freshDest();
      await fetchMarketplace({ source: "url", url: http.url("/marketplace.json") }, dest, ctx);
      expect(JSON.parse(readFileSync(dest, "utf8")).name).toBe("web-mkt");
      expect(proxy.seen).toEqual([`GET ${http.url("/marketplace.json")}`]);
      // a status through the proxy is the server's, as without one
      await expect(fetchMarketplace({ source: "url", url: http.url("/missing.json") }, freshDest(), ctx)).rejects.toMatchObject({ code: "E_HTTP", details: { status: 404 } });
      await expect(fetchMarketplace({ source: "url", url: http.url("/hang.json") }, freshDest(), { ...ctx, timeoutMs: 300 })).rejects.toMatchObject({ code: "E_TIMEOUT", message: expect.stringContaining("timed out after 300 ms") });
      ctx.env = { ...ctx.env, NO_PROXY: "127.0.0.1" };
      await fetchMarketplace({ source: "url", url: http.url("/marketplace.json") }, freshDest(), ctx);
      expect(proxy.seen).toHaveLength(3);
      const dead = fetchContext();
      dead.env = { ...dead.env, HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` };
      await expect(fetchMarketplace({ source: "url", url: "https://catalog.example.test/m.json" }, freshDest(), dead)).rejects.toMatchObject({ code: "E_NETWORK", message: expect.stringContaining("cannot reach the proxy") });
    } finally {
      await proxy.close();
    }
  });

  it("npm: extracts the package with pacote from a registry on loopback", async () => {
    await npm.publish({ "package.json": JSON.stringify({ name: "@corp/catalog", version: "2.0.0" }), ...marketplaceTree("npm-mkt") });
    const dest = freshDest();
    const m = await fetchMarketplace({ source: "npm", package: "@corp/catalog", registry: npm.url }, dest, fetchContext());
    expect(m.installLocation).toBe(dest);
    expect((await readMarketplace(m.installLocation)).manifest.name).toBe("npm-mkt");
    expect(existsSync(join(dest, "plugins", "alpha", ".claude-plugin", "plugin.json"))).toBe(true);
  });

  it("settings: materializes a synthetic marketplace.json owned by \"settings\"", async () => {
    const dest = freshDest();
    const plugins = [{ name: "remote", source: { source: "github", repo: "acme/remote" } }];
    const m = await fetchMarketplace({ source: "settings", name: "from-settings", plugins }, dest, fetchContext());
    const read = await readMarketplace(m.installLocation);
    expect(read.manifest).toMatchObject({ name: "from-settings", owner: { name: "settings" } });
    expect(read.manifest.plugins[0]).toMatchObject({ name: "remote", source: { source: "github", repo: "acme/remote" } });
  });

  it("a plugin tree helper is a valid plugin (sanity for the fixtures)", () => {
    expect(Object.keys(pluginTree("x"))).toContain(".claude-plugin/plugin.json");
  });
});
