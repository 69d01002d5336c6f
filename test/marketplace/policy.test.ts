import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, writeTree, type GitServer } from "../support/git-server.js";
import { marketplaceJson, marketplaceTree, removeTempDirs, tempDir } from "../sources/fixtures.js";
import { startHttpFixture, type HttpFixture } from "../sources/http-fixture.js";
import { cliUser, type CliUser } from "./support.js";

afterAll(removeTempDirs);

const managed = (user: CliUser, policy: unknown) => writeFileSync(join(user.home, "managed-settings.json"), JSON.stringify(policy));

describe("managed marketplace policy is enforced before any I/O on add and update", () => {
  let server: GitServer;
  let http: HttpFixture;
  beforeAll(async () => {
    server = await startGitServer();
    http = await startHttpFixture({ "/m.json": marketplaceJson("web") });
    createBareRepo(server.root, "corp", [marketplaceTree("corp")]);
  });
  afterAll(async () => {
    await Promise.all([server.close(), http.close()]);
  });

  it("strictKnownMarketplaces [] locks add down: E_POLICY_BLOCKED, no request reaches the server, state untouched", async () => {
    const user = cliUser();
    managed(user, { strictKnownMarketplaces: [] });
    const before = user.hash();
    const seen = server.requests.length;
    const r = await user.run("plugin", "marketplace", "add", server.url("corp"), "--json");
    expect(r.status).toBe(4);
    expect(r.json().error).toMatchObject({
      code: "E_POLICY_BLOCKED",
      message: `Marketplace source 'git:${server.url("corp")}' is blocked by enterprise policy. No external marketplaces are allowed.`,
      hint: expect.stringContaining("administrator"),
      details: { source: `git:${server.url("corp")}`, allowed: [] },
    });
    expect(server.requests.length).toBe(seen);
    expect(user.hash()).toBe(before);
  });

  it("strictKnownMarketplaces unset is open", async () => {
    const user = cliUser();
    managed(user, { blockedMarketplaces: [] });
    expect((await user.run("plugin", "marketplace", "add", server.url("corp"))).status).toBe(0);
  });

  it("a hostPattern allowlist admits loopback git and refuses a directory, naming the allowed list", async () => {
    const user = cliUser();
    managed(user, { strictKnownMarketplaces: [{ hostPattern: "^127\\.0\\.0\\.1$" }] });
    expect((await user.run("plugin", "marketplace", "add", server.url("corp"))).status).toBe(0);
    const dir = tempDir();
    writeTree(dir, marketplaceTree("local-dir"));
    const r = await user.run("plugin", "marketplace", "add", dir);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`Marketplace source 'dir:${dir}' is blocked by enterprise policy. Allowed sources: hostPattern:^127\\.0\\.0\\.1$`);
  });

  it("a pathPattern allowlist admits matching directories only", async () => {
    const parent = tempDir();
    writeTree(join(parent, "mkt-a"), marketplaceTree("mkt-a"));
    writeTree(join(parent, "mkt-c"), marketplaceTree("mkt-c"));
    const user = cliUser();
    managed(user, { strictKnownMarketplaces: [{ pathPattern: `^${parent}/mkt-[ab]$` }] });
    expect((await user.run("plugin", "marketplace", "add", join(parent, "mkt-a"))).status).toBe(0);
    const r = await user.run("plugin", "marketplace", "add", join(parent, "mkt-c"), "--json");
    expect(r.json().error).toMatchObject({ code: "E_POLICY_BLOCKED", details: { allowed: [`pathPattern:^${parent}/mkt-[ab]$`] } });
  });

  it("blockedMarketplaces refuses a url marketplace without downloading it", async () => {
    const user = cliUser();
    managed(user, { blockedMarketplaces: [{ source: "url", url: http.url("/m.json") }] });
    const r = await user.run("plugin", "marketplace", "add", http.url("/m.json"));
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`Marketplace source 'url:${http.url("/m.json")}' is blocked by enterprise policy.`);
    expect(http.requests).toHaveLength(0);
  });

  it("a marketplace added before the policy can no longer be updated or installed from, and nothing is fetched", async () => {
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("corp"))).status).toBe(0);
    managed(user, { strictKnownMarketplaces: [{ source: "github", repo: "corp/approved" }] });
    const before = user.hash();
    const seen = server.requests.length;
    const one = await user.run("plugin", "marketplace", "update", "corp", "--json");
    expect(one.status).toBe(4);
    expect(one.json().error.message).toContain("Allowed sources: github:corp/approved");
    const all = await user.run("plugin", "marketplace", "update", "--json");
    expect(all.status).toBe(1);
    expect(all.json()).toEqual([{ name: "corp", ok: false, error: expect.objectContaining({ code: "E_POLICY_BLOCKED" }) }]);
    const install = await user.run("plugin", "install", "alpha@corp", "--json");
    expect(install.json().error.code).toBe("E_POLICY_BLOCKED");
    expect(server.requests.length).toBe(seen);
    expect(user.hash()).toBe(before);
  });
});

describe("policy files that cannot be read are never a reason to fetch", () => {
  it("a managed settings file that is not JSON stops add before any request", async () => {
    const server = await startGitServer();
    try {
      createBareRepo(server.root, "corp", [marketplaceTree("corp")]);
      const user = cliUser();
      writeFileSync(join(user.home, "managed-settings.json"), "{ strictKnownMarketplaces: [");
      const before = user.hash();
      const r = await user.run("plugin", "marketplace", "add", server.url("corp"));
      expect(r.status).not.toBe(0);
      expect(server.requests).toHaveLength(0);
      expect(user.hash()).toBe(before);
    } finally {
      await server.close();
    }
  });

  it("a blocklist in a managed-settings.d drop-in is honoured", async () => {
    const server = await startGitServer();
    try {
      createBareRepo(server.root, "corp", [marketplaceTree("corp")]);
      const user = cliUser();
      mkdirSync(join(user.home, "managed-settings.d"));
      writeFileSync(join(user.home, "managed-settings.d", "10-block.json"), JSON.stringify({ blockedMarketplaces: [{ hostPattern: "^127\\." }] }));
      const r = await user.run("plugin", "marketplace", "add", server.url("corp"), "--json");
      expect(r.json().error.code).toBe("E_POLICY_BLOCKED");
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
