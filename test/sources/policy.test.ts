import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { checkPolicy, evaluatePolicy, fetchMarketplace, fetchPlugin, sourceKey } from "../../registry/sources/index.js";
import { AgentError } from "../../schemas/errors.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import { fetchContext, freshDest, removeTempDirs } from "./fixtures.js";
import { startHttpFixture } from "./http-fixture.js";

afterAll(removeTempDirs);

const dirA: MarketplaceSource = { source: "directory", path: "/w/mkt-a" };
const dirB: MarketplaceSource = { source: "directory", path: "/w/mkt-b" };
const dirC: MarketplaceSource = { source: "directory", path: "/w/mkt-c" };
const gitLoop: MarketplaceSource = { source: "git", url: "http://127.0.0.1:8765/mkt-g.git" };

function blocked(fn: () => void): AgentError {
  try {
    fn();
  } catch (error) {
    return error as AgentError;
  }
  throw new Error("expected E_POLICY_BLOCKED");
}

describe("managed marketplace policy", () => {
  it("strictKnownMarketplaces undefined is open", () => {
    expect(evaluatePolicy(dirA, {})).toEqual({ allowed: true });
  });

  it("strictKnownMarketplaces [] locks everything down, with Claude Code's message", () => {
    const e = blocked(() => checkPolicy(dirA, { strictKnownMarketplaces: [] }));
    expect(e.code).toBe("E_POLICY_BLOCKED");
    expect(e.message).toBe("Marketplace source 'dir:/w/mkt-a' is blocked by enterprise policy. No external marketplaces are allowed.");
  });

  it("an exact-match allowlist admits its source and names the allowed list otherwise", () => {
    expect(evaluatePolicy(dirA, { strictKnownMarketplaces: [dirA] }).allowed).toBe(true);
    const e = blocked(() => checkPolicy(dirB, { strictKnownMarketplaces: [dirA] }));
    expect(e.message).toBe("Marketplace source 'dir:/w/mkt-b' is blocked by enterprise policy. Allowed sources: dir:/w/mkt-a");
    expect(e.details).toMatchObject({ source: "dir:/w/mkt-b", allowed: ["dir:/w/mkt-a"] });
  });

  it("exact match does not normalize: ref and URL spelling must match", () => {
    const allow = { strictKnownMarketplaces: [{ source: "github" as const, repo: "acme/tools" }] };
    expect(evaluatePolicy({ source: "github", repo: "acme/tools" }, allow).allowed).toBe(true);
    expect(evaluatePolicy({ source: "github", repo: "acme/tools", ref: "dev" }, allow).allowed).toBe(false);
    expect(evaluatePolicy({ source: "git", url: "http://127.0.0.1:8765/mkt-g.git/" }, { strictKnownMarketplaces: [gitLoop] }).allowed).toBe(false);
  });

  it("pathPattern matches file and directory paths", () => {
    const policy = { strictKnownMarketplaces: [{ pathPattern: "^/w/mkt-[ab]$" }] };
    expect(evaluatePolicy(dirB, policy).allowed).toBe(true);
    expect(blocked(() => checkPolicy(dirC, policy)).message).toBe("Marketplace source 'dir:/w/mkt-c' is blocked by enterprise policy. Allowed sources: pathPattern:^/w/mkt-[ab]$");
    expect(evaluatePolicy(gitLoop, policy).allowed).toBe(false);
  });

  it("hostPattern matches git/url hosts (scp-like too) and github.com, never directories", () => {
    const policy = { strictKnownMarketplaces: [{ hostPattern: "^127\\.0\\.0\\.1$" }] };
    expect(evaluatePolicy(gitLoop, policy).allowed).toBe(true);
    expect(evaluatePolicy({ source: "git", url: "git@127.0.0.1:org/repo.git" }, policy).allowed).toBe(true);
    expect(evaluatePolicy({ source: "url", url: "http://127.0.0.1/m.json" }, policy).allowed).toBe(true);
    expect(evaluatePolicy(dirA, policy).allowed).toBe(false);
    expect(evaluatePolicy({ source: "github", repo: "a/b" }, { strictKnownMarketplaces: [{ hostPattern: "^github\\.com$" }] }).allowed).toBe(true);
  });

  it("blockedMarketplaces blocks even what the allowlist admits", () => {
    const e = blocked(() => checkPolicy(dirB, { strictKnownMarketplaces: [{ pathPattern: ".*" }], blockedMarketplaces: [dirB] }));
    expect(e.message).toBe("Marketplace source 'dir:/w/mkt-b' is blocked by enterprise policy.");
    expect(evaluatePolicy(dirA, { blockedMarketplaces: [dirB] }).allowed).toBe(true);
  });

  it("source keys name each kind", () => {
    expect(sourceKey({ source: "github", repo: "o/r", ref: "v1" })).toBe("github:o/r@v1");
    expect(sourceKey({ source: "npm", package: "@c/m" })).toBe("npm:@c/m");
    expect(sourceKey({ source: "url", url: "https://h/m.json" })).toBe("url:https://h/m.json");
  });

  it("fetchMarketplace and fetchPlugin refuse before any I/O", async () => {
    const http = await startHttpFixture({ "/m.json": "{}" });
    try {
      const dest = freshDest();
      const ctx = fetchContext({ policy: { strictKnownMarketplaces: [] } });
      await expect(fetchMarketplace({ source: "url", url: http.url("/m.json") }, dest, ctx)).rejects.toMatchObject({ code: "E_POLICY_BLOCKED" });
      await expect(fetchPlugin({ source: "archive", url: http.url("/p.tgz") }, dest, ctx, { marketplaceSource: dirA })).rejects.toMatchObject({ code: "E_POLICY_BLOCKED" });
      expect(http.requests).toHaveLength(0);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await http.close();
    }
  });
});
