import { afterAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, writeTree } from "../support/git-server.js";
import { marketplaceJson, marketplaceTree, removeTempDirs, tempDir } from "../sources/fixtures.js";
import { startHttpFixture } from "../sources/http-fixture.js";
import { cliUser } from "./support.js";

afterAll(removeTempDirs);

describe("read-only commands work with the network gone", () => {
  it("marketplace list, plugin list and plugin details read the materialized copies after the servers stop; update fails per marketplace", async () => {
    const server = await startGitServer();
    const http = await startHttpFixture({ "/m.json": marketplaceJson("web", [{ name: "remote", source: { source: "github", repo: "corp/remote" } }]) });
    createBareRepo(server.root, "team", [marketplaceTree("team", { alpha: "1.0.0", beta: "2.0.0" })]);
    const user = cliUser();
    expect((await user.run("plugin", "marketplace", "add", server.url("team"))).status).toBe(0);
    expect((await user.run("plugin", "marketplace", "add", http.url("/m.json"))).status).toBe(0);
    expect((await user.run("plugin", "install", "alpha@team")).status).toBe(0);
    await Promise.all([server.close(), http.close()]);
    const before = user.hash();

    const markets = await user.run("plugin", "marketplace", "list", "--json");
    expect(markets.status).toBe(0);
    expect(markets.json().map((m: { name: string }) => m.name).sort()).toEqual(["team", "web"]);
    expect((await user.run("plugin", "marketplace", "list")).stdout).toContain("Source: Git (");

    const plugins = await user.run("plugin", "list", "--json", "--available");
    expect(plugins.status).toBe(0);
    expect(JSON.stringify(plugins.json())).toContain("alpha@team");
    expect(plugins.json().available.map((p: { pluginId: string }) => p.pluginId)).toEqual(expect.arrayContaining(["beta@team", "remote@web"]));

    const details = await user.run("plugin", "details", "alpha@team");
    expect(details.status).toBe(0);
    expect(details.stdout).toContain("alpha");
    expect(details.stdout).toContain("1.0.0");

    const update = await user.run("plugin", "marketplace", "update", "team", "--json");
    expect(update.json().error.code).toMatch(/E_NETWORK|E_GIT/);
    expect(user.hash()).toBe(before);

    const local = tempDir();
    writeTree(local, marketplaceTree("local"));
    expect((await user.run("plugin", "marketplace", "add", local)).status).toBe(0);
    const all = await user.run("plugin", "marketplace", "update", "--json");
    expect(all.status).toBe(1);
    expect(Object.fromEntries(all.json().map((r: { name: string; ok: boolean }) => [r.name, r.ok]))).toEqual({ team: false, web: false, local: true });
    expect((await user.run("plugin", "marketplace", "list", "--json")).json()).toHaveLength(3);
  });
});
