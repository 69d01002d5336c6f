import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, type GitServer } from "../support/git-server.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { marketplaceJson, marketplaceTree, removeTempDirs, tempDir } from "../sources/fixtures.js";
import { closedPort, startHttpFixture, type HttpFixture } from "../sources/http-fixture.js";
import { agent } from "../support/run-agent.js";
import { cliUser, type CliUser } from "./support.js";

afterAll(removeTempDirs);

/**
 * Each bad source is refused with a stable code and a hint, and leaves the state dir byte-identical:
 * known_marketplaces.json, settings, plugins/marketplaces (no staging leftovers) and the npm cache.
 */
describe("marketplace add with bad input changes nothing on disk", () => {
  let server: GitServer;
  let http: HttpFixture;
  let npm: NpmRegistry;
  let dead: number;
  let user: CliUser;
  const fiftyMb = Buffer.alloc(50 * 1024 * 1024, 0x20);
  beforeAll(async () => {
    server = await startGitServer();
    createBareRepo(server.root, "good", [marketplaceTree("good")]);
    createBareRepo(server.root, "broken", [{ ".claude-plugin/marketplace.json": '{"name": "broken", "owner": {"name": "x"}, "plugins": 7}' }]);
    http = await startHttpFixture({
      "/hang/m.json": "hang",
      "/hang.git/info/refs": "hang",
      "/gone.json": 404,
      "/not-json.json": "{ this is not json",
      "/bad-shape.json": JSON.stringify({ name: "bad-shape", owner: { name: "x" }, plugins: [{ name: "ok", source: "./p" }], metadata: 3 }),
      "/no-name.json": JSON.stringify({ owner: { name: "x" }, plugins: [] }),
      "/huge.json": fiftyMb,
    });
    npm = await startNpmRegistry();
    npm.publishRaw("not-gzip-catalog", "1.0.0", Buffer.from("plain text, not a tarball"));
    dead = await closedPort();
    user = cliUser({ npm_config_registry: npm.url });
    // a state dir that already holds one marketplace, so "unchanged" covers existing files too
    expect((await user.run("plugin", "marketplace", "add", server.url("good"))).status).toBe(0);
  });
  afterAll(async () => {
    await Promise.all([server.close(), http.close(), npm.close()]);
  });

  const hugeDir = tempDir("agent-huge-mkt-");
  mkdirSync(join(hugeDir, ".claude-plugin"));
  writeFileSync(join(hugeDir, ".claude-plugin", "marketplace.json"), Buffer.concat([Buffer.from('{"name":"huge","owner":{"name":"x"},"plugins":[]}'), Buffer.alloc(50 * 1024 * 1024, 0x20)]));
  const notRepo = tempDir("agent-not-a-repo-");
  mkdirSync(join(notRepo, "sub"));
  // only the never-answering servers get a short bound, so a slow machine cannot turn other cases into timeouts
  const short = { AGENT_FETCH_TIMEOUT_MS: "1500" };
  const cases: { name: string; arg: () => string; code: string; exit: number; message: string | RegExp; env?: NodeJS.ProcessEnv }[] = [
    { name: "an unreachable git host", arg: () => `http://127.0.0.1:${dead}/x.git`, code: "E_NETWORK", exit: 7, message: "Could not reach the git server" },
    { name: "an unreachable marketplace URL", arg: () => `http://127.0.0.1:${dead}/m.json`, code: "E_NETWORK", exit: 7, message: /Could not reach http:\/\/127\.0\.0\.1:\d+\/m\.json: ECONNREFUSED/ },
    { name: "a marketplace URL that is 404", arg: () => http.url("/gone.json"), code: "E_HTTP", exit: 7, message: "HTTP 404" },
    { name: "a git repository that is 404", arg: () => server.url("missing"), code: "E_GIT", exit: 7, message: "not found" },
    { name: "a marketplace URL that never answers (bounded)", arg: () => http.url("/hang/m.json"), code: "E_TIMEOUT", exit: 7, message: "timed out after 1500 ms", env: short },
    { name: "a git server that never answers (bounded)", arg: () => http.url("/hang.git"), code: "E_TIMEOUT", exit: 7, message: "timed out after 1500 ms", env: short },
    { name: "marketplace.json that is not JSON", arg: () => http.url("/not-json.json"), code: "E_INVALID_MANIFEST", exit: 1, message: "is not valid JSON" },
    { name: "marketplace.json with a bad field (JSON path)", arg: () => http.url("/bad-shape.json"), code: "E_INVALID_MANIFEST", exit: 1, message: /metadata/ },
    { name: "marketplace.json without a name (JSON path)", arg: () => http.url("/no-name.json"), code: "E_INVALID_MANIFEST", exit: 1, message: /\bname\b/ },
    { name: "a git marketplace whose plugins is not an array (JSON path)", arg: () => server.url("broken"), code: "E_INVALID_MANIFEST", exit: 1, message: /^git:http:\/\/127\.0\.0\.1:\d+\/broken\.git:\.claude-plugin\/marketplace\.json is invalid: plugins/ },
    { name: "a file:// URL that is not a git repository", arg: () => `file://${notRepo}`, code: "E_GIT", exit: 7, message: "does not appear to be a git repository" },
    { name: "a ref that does not exist", arg: () => `${server.url("good")}#no-such-branch`, code: "E_REF_NOT_FOUND", exit: 3, message: "no-such-branch" },
    { name: "an npm tarball that is not gzip", arg: () => "npm:not-gzip-catalog", code: "E_UNSAFE_ARCHIVE", exit: 6, message: "is not a gzip tarball" },
    { name: "a 50 MB marketplace", arg: () => http.url("/huge.json"), code: "E_TOO_LARGE", exit: 6, message: "larger than the 10 MB limit" },
    { name: "a 50 MB marketplace.json in a directory", arg: () => hugeDir, code: "E_TOO_LARGE", exit: 6, message: "more than the 10 MB a marketplace.json may have" },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.code} with a hint, exit ${c.exit}, state byte-identical`, async () => {
      const before = user.hash();
      const r = await agent(["plugin", "marketplace", "add", c.arg(), "--json"], { env: { ...user.env, ...c.env }, cwd: user.cwd });
      const error = r.json().error;
      expect(error.code).toBe(c.code);
      expect(error.message, JSON.stringify(error)).toMatch(c.message);
      expect(error.hint).toMatch(/\w/);
      expect(JSON.stringify(error)).not.toContain(".staging-");
      expect(r.status).toBe(c.exit);
      expect(user.hash()).toBe(before);
    });
  }

  it("the text form shows the code, the message and the hint on stderr, nothing on stdout", async () => {
    const r = await user.run("plugin", "marketplace", "add", http.url("/gone.json"));
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/E_HTTP .*HTTP 404/);
    expect(r.stderr).toContain("hint: Check the URL.");
  });
});
