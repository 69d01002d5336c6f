import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPlugin } from "../../registry/sources/index.js";
import { createBareRepo, startGitServer, writeTree, type GitServer } from "../support/git-server.js";
import { startForwardProxy } from "../support/forward-proxy.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { fetchContext, freshDest, pluginTree, removeTempDirs, tempDir } from "./fixtures.js";
import { startHttpFixture, type HttpFixture } from "./http-fixture.js";

afterAll(removeTempDirs);

function tgzOf(tree: Record<string, string>): Buffer {
  const dir = tempDir();
  writeTree(dir, tree);
  const out = join(tempDir(), "p.tgz");
  execFileSync("tar", ["-czf", out, "-C", dir, "."]);
  return readFileSync(out);
}

describe("plugin sources against real git, npm and http on loopback", () => {
  let server: GitServer;
  let npm: NpmRegistry;
  let http: HttpFixture;
  const archive = tgzOf({ "pkg/.claude-plugin/plugin.json": JSON.stringify({ name: "arch", version: "3.0.0" }) });
  const archiveSha = createHash("sha256").update(archive).digest("hex");
  beforeAll(async () => {
    server = await startGitServer();
    npm = await startNpmRegistry();
    http = await startHttpFixture({ "/p.tgz": archive, "/p.zip": Buffer.from("PK\x03\x04zip"), "/plain.tgz": "just text" });
  });
  afterAll(async () => {
    await Promise.all([server.close(), npm.close(), http.close()]);
  });

  it("relative: copies from the marketplace root; links inside kept, inside the marketplace dereferenced, outside skipped", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "secret.txt"), "outside");
    const root = tempDir();
    writeTree(root, { ...pluginTree("alpha", "1.0.0", "plugins/alpha/"), "shared/lib.md": "shared text", "plugins/alpha/docs/a.md": "doc" });
    symlinkSync("docs/a.md", join(root, "plugins/alpha/inside.md"));
    symlinkSync("../../shared/lib.md", join(root, "plugins/alpha/shared.md"));
    symlinkSync(join(outside, "secret.txt"), join(root, "plugins/alpha/secret.txt"));
    mkdirSync(join(root, "plugins/alpha/.git"));
    const dest = freshDest();
    const ctx = fetchContext();
    const fetched = await fetchPlugin("./plugins/alpha", dest, ctx, { marketplaceRoot: root });
    expect(fetched.dir).toBe(dest);
    expect(lstatSync(join(dest, "inside.md")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, "inside.md"))).toBe("docs/a.md");
    expect(lstatSync(join(dest, "shared.md")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dest, "shared.md"), "utf8")).toBe("shared text");
    expect(existsSync(join(dest, "secret.txt"))).toBe(false);
    expect(existsSync(join(dest, ".git"))).toBe(false);
    expect(ctx.lines.join("\n")).toContain("secret.txt");
  });

  it("relative: a missing directory is E_NOT_FOUND and \"..\" is refused", async () => {
    const root = tempDir();
    await expect(fetchPlugin("./plugins/nope", freshDest(), fetchContext(), { marketplaceRoot: root })).rejects.toMatchObject({ code: "E_NOT_FOUND" });
    await expect(fetchPlugin("./../x", freshDest(), fetchContext(), { marketplaceRoot: root })).rejects.toMatchObject({ code: "E_INVALID_MANIFEST" });
  });

  it("url (git): shallow clone at the ref head, pinned commit, no .git kept", async () => {
    const repo = createBareRepo(server.root, "plug", [pluginTree("plug", "1.0.0"), pluginTree("plug", "1.1.0")], { branches: { old: 0 } });
    const dest = freshDest();
    const head = await fetchPlugin({ source: "url", url: server.url("plug") }, dest, fetchContext());
    expect(head.commit).toBe(repo.commits[1]);
    expect(existsSync(join(dest, ".git"))).toBe(false);
    expect(JSON.parse(readFileSync(join(dest, ".claude-plugin/plugin.json"), "utf8")).version).toBe("1.1.0");
    const old = await fetchPlugin({ source: "url", url: server.url("plug"), ref: "old" }, freshDest(), fetchContext());
    expect(old.commit).toBe(repo.commits[0]);
  });

  it("url (git): a sha on the ref is checked out exactly", async () => {
    const repo = createBareRepo(server.root, "pinned", [pluginTree("pinned", "1.0.0"), pluginTree("pinned", "2.0.0")]);
    const dest = freshDest();
    const fetched = await fetchPlugin({ source: "url", url: server.url("pinned"), sha: repo.commits[0]! }, dest, fetchContext());
    expect(fetched.commit).toBe(repo.commits[0]);
    expect(JSON.parse(readFileSync(join(dest, ".claude-plugin/plugin.json"), "utf8")).version).toBe("1.0.0");
  });

  it("url (git): a sha that the ref does not contain is E_REF_NOT_FOUND, never a fallback", async () => {
    const repo = createBareRepo(server.root, "forked", [pluginTree("forked", "1.0.0"), pluginTree("forked", "2.0.0")], { branches: { side: 1 } });
    repo.commit({ "main-only.txt": "x" });
    const onSide = repo.commits[1]!;
    const mainOnly = repo.commits[2]!;
    await expect(fetchPlugin({ source: "url", url: server.url("forked"), ref: "side", sha: mainOnly }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_REF_NOT_FOUND" });
    await expect(fetchPlugin({ source: "url", url: server.url("forked"), sha: "0".repeat(40) }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_REF_NOT_FOUND" });
    const ok = await fetchPlugin({ source: "url", url: server.url("forked"), ref: "side", sha: onSide }, freshDest(), fetchContext());
    expect(ok.commit).toBe(onSide);
  });

  it("url (git): a ref that does not exist is E_REF_NOT_FOUND", async () => {
    createBareRepo(server.root, "noref", [pluginTree("noref")]);
    await expect(fetchPlugin({ source: "url", url: server.url("noref"), ref: "does-not-exist" }, freshDest(), fetchContext())).rejects.toMatchObject({
      code: "E_REF_NOT_FOUND",
    });
  });

  it("github: owner/repo through AGENT_GITHUB_BASE_URL with sha pin", async () => {
    const repo = createBareRepo(server.root, "acme/gh-plug", [pluginTree("gh-plug", "1.0.0"), pluginTree("gh-plug", "1.2.0")]);
    const ctx = fetchContext();
    ctx.env = { ...ctx.env, AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${server.port}` };
    const fetched = await fetchPlugin({ source: "github", repo: "acme/gh-plug", sha: repo.commits[0]! }, freshDest(), ctx);
    expect(fetched.commit).toBe(repo.commits[0]);
  });

  it("git-subdir: a partial sparse clone materializes only that subtree", async () => {
    const repo = createBareRepo(server.root, "mono", [{ ...pluginTree("tool", "1.0.0", "tools/x/"), "tools/y/big.txt": "y".repeat(1000), "README.md": "root" }]);
    const dest = freshDest();
    const fetched = await fetchPlugin({ source: "git-subdir", url: server.url("mono"), path: "tools/x" }, dest, fetchContext());
    expect(fetched).toMatchObject({ dir: join(dest, "tools/x"), commit: repo.commits[0], subdirPath: "tools/x" });
    expect(existsSync(join(dest, "tools/x/.claude-plugin/plugin.json"))).toBe(true);
    expect(existsSync(join(dest, "tools/y"))).toBe(false);
    expect(existsSync(join(dest, ".git"))).toBe(false);
    await expect(fetchPlugin({ source: "git-subdir", url: server.url("mono"), path: "tools/missing" }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_NOT_FOUND" });
  });

  it("npm: pacote extracts the package, records integrity and the package version", async () => {
    const published = await npm.publish({ "package.json": JSON.stringify({ name: "@corp/npm-plug", version: "4.5.6" }), ...pluginTree("npm-plug", undefined) });
    await npm.publish({ "package.json": JSON.stringify({ name: "@corp/npm-plug", version: "4.6.0" }), ...pluginTree("npm-plug", undefined) });
    const dest = freshDest();
    const fetched = await fetchPlugin({ source: "npm", package: "@corp/npm-plug", version: "~4.5.0", registry: npm.url }, dest, fetchContext());
    expect(fetched).toMatchObject({ dir: dest, integrity: published.integrity, sourceVersion: "4.5.6" });
    expect(existsSync(join(dest, ".claude-plugin/plugin.json"))).toBe(true);
  });

  it("npm: auth from the user's .npmrc is sent to the registry", async () => {
    const secured = await startNpmRegistry({ token: "npm_" + "A".repeat(36) });
    try {
      await secured.publish({ "package.json": JSON.stringify({ name: "private-plug", version: "1.0.0" }), ...pluginTree("private-plug") });
      const home = tempDir();
      const host = secured.url.replace(/^http:/, "");
      writeFileSync(join(home, ".npmrc"), `${host}:_authToken=\${PRIVATE_NPM_TOKEN}\n`);
      const ctx = fetchContext();
      ctx.env = { ...ctx.env, HOME: home, PRIVATE_NPM_TOKEN: "npm_" + "A".repeat(36) };
      const fetched = await fetchPlugin({ source: "npm", package: "private-plug", registry: secured.url }, freshDest(), ctx);
      expect(fetched.sourceVersion).toBe("1.0.0");
      const noAuth = fetchContext();
      await expect(fetchPlugin({ source: "npm", package: "private-plug", registry: secured.url }, freshDest(), noAuth)).rejects.toMatchObject({ code: "E_AUTH" });
    } finally {
      await secured.close();
    }
  });

  it("npm: the proxy from the user's .npmrc (https-proxy, proxy) is used unless its noproxy lists the registry", async () => {
    await npm.publish({ "package.json": JSON.stringify({ name: "proxied-plug", version: "1.0.0" }), ...pluginTree("proxied-plug", undefined) });
    const proxy = await startForwardProxy();
    try {
      for (const key of ["https-proxy", "proxy"]) {
        const home = tempDir("agent-home-");
        writeFileSync(join(home, ".npmrc"), `${key}=${proxy.url}\n`);
        const ctx = fetchContext();
        ctx.env = { ...ctx.env, HOME: home };
        const seen = proxy.seen.length;
        const fetched = await fetchPlugin({ source: "npm", package: "proxied-plug", registry: npm.url }, freshDest(), ctx);
        expect(fetched.sourceVersion).toBe("1.0.0");
        expect(proxy.seen.slice(seen)).toContain(`GET ${new URL("proxied-plug", npm.url).href}`);
      }
      const home = tempDir("agent-home-");
      writeFileSync(join(home, ".npmrc"), `https-proxy=${proxy.url}\nnoproxy=127.0.0.1\n`);
      const ctx = fetchContext();
      ctx.env = { ...ctx.env, HOME: home };
      const seen = proxy.seen.length;
      await fetchPlugin({ source: "npm", package: "proxied-plug", registry: npm.url }, freshDest(), ctx);
      expect(proxy.seen.length).toBe(seen);
    } finally {
      await proxy.close();
    }
  });

  it("npm: a tarball that is not gzip is E_UNSAFE_ARCHIVE", async () => {
    npm.publishRaw("broken-plug", "1.0.0", Buffer.from("this is not a gzip file"));
    await expect(fetchPlugin({ source: "npm", package: "broken-plug", registry: npm.url }, freshDest(), fetchContext())).rejects.toMatchObject({
      code: expect.stringMatching(/E_UNSAFE_ARCHIVE|E_INTEGRITY/),
    });
  });

  it("archive: a .tgz with a matching sha256 is extracted with the plugin one level down", async () => {
    const dest = freshDest();
    const fetched = await fetchPlugin({ source: "archive", url: http.url("/p.tgz"), sha256: archiveSha }, dest, fetchContext());
    expect(fetched.dir).toBe(join(dest, "pkg"));
    expect(fetched.sourceVersion).toBe(archiveSha);
    expect(readdirSync(fetched.dir)).toContain(".claude-plugin");
  });

  it("archive: sha256 mismatch is E_INTEGRITY, zip is unsupported, non-gzip is E_UNSAFE_ARCHIVE", async () => {
    await expect(fetchPlugin({ source: "archive", url: http.url("/p.tgz"), sha256: "0".repeat(64) }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_INTEGRITY" });
    await expect(fetchPlugin({ source: "archive", url: http.url("/p.zip") }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_UNSUPPORTED_SOURCE" });
    await expect(fetchPlugin({ source: "archive", url: http.url("/plain.tgz") }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_UNSAFE_ARCHIVE" });
  });

  it("command sources are refused with E_UNSUPPORTED_SOURCE; unsupported stubs too", async () => {
    await expect(fetchPlugin({ source: "command", command: "echo /tmp" }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_UNSUPPORTED_SOURCE" });
    await expect(fetchPlugin({ source: "unsupported" }, freshDest(), fetchContext())).rejects.toMatchObject({ code: "E_UNSUPPORTED_SOURCE" });
  });
});
