import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, startGitServer, type GitServer } from "../support/git-server.js";
import { startNpmRegistry, type NpmRegistry } from "../support/npm-registry.js";
import { marketplaceJson, marketplaceTree, removeTempDirs, tempDir } from "../sources/fixtures.js";
import { cliUser, treeText, type CliUser } from "./support.js";
import { agent, type AgentRun } from "../support/run-agent.js";

afterAll(removeTempDirs);

const token = "tok_" + "Q7".repeat(20);

/** The token appears nowhere: not in the state dir, not on stdout, not on stderr. */
function expectNoToken(user: CliUser, ...runs: AgentRun[]) {
  expect(treeText(user.home)).not.toContain(token);
  for (const r of runs) expect(r.stdout + r.stderr).not.toContain(token);
}

/** A marketplace.json behind bearer auth on 127.0.0.1. */
async function bearerServer(): Promise<{ url: string; seen: (string | undefined)[]; close(): Promise<void> }> {
  const seen: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end("no");
    res.writeHead(200, { "content-type": "application/json" }).end(marketplaceJson("corp-web", [{ name: "remote", source: { source: "github", repo: "corp/remote" } }]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/marketplace.json`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("private marketplaces: credentials come from the user's tools and never land on disk or in output", () => {
  let authed: GitServer;
  let npm: NpmRegistry;
  let web: Awaited<ReturnType<typeof bearerServer>>;
  beforeAll(async () => {
    authed = await startGitServer({ token });
    createBareRepo(authed.root, "private", [marketplaceTree("private-mkt")]);
    createBareRepo(authed.root, "corp/catalog", [marketplaceTree("corp-gh")]);
    npm = await startNpmRegistry({ token });
    await npm.publish({ "package.json": JSON.stringify({ name: "@corp/private-catalog", version: "1.0.0" }), ...marketplaceTree("corp-npm") });
    web = await bearerServer();
  });
  afterAll(async () => {
    await Promise.all([authed.close(), npm.close(), web.close()]);
  });

  it("git over http uses the user's credential helper; without one it is E_AUTH and never prompts", async () => {
    const config = join(tempDir(), "gitconfig");
    const store = join(tempDir(), "git-credentials");
    writeFileSync(store, `http://someone:${token}@127.0.0.1:${authed.port}\n`);
    writeFileSync(config, `[credential]\n\thelper = store --file=${store}\n`);
    const user = cliUser({ GIT_CONFIG_GLOBAL: config });
    const added = await user.run("plugin", "marketplace", "add", authed.url("private"));
    expect(added.status).toBe(0);
    const updated = await user.run("plugin", "marketplace", "update", "private-mkt");
    expect(updated.status).toBe(0);
    expect(authed.requests.some((r) => r.authorization?.startsWith("Basic "))).toBe(true);
    expectNoToken(user, added, updated);

    const stranger = cliUser();
    const refused = await stranger.run("plugin", "marketplace", "add", authed.url("private"), "--json");
    expect(refused.status).toBe(4);
    expect(refused.json().error).toMatchObject({ code: "E_AUTH", hint: expect.stringContaining("credential helper") });
  });

  it("github sources send GITHUB_TOKEN, or GH_TOKEN, to the GitHub host only", async () => {
    for (const variable of ["GITHUB_TOKEN", "GH_TOKEN"]) {
      const user = cliUser({ AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${authed.port}`, [variable]: token });
      const added = await user.run("plugin", "marketplace", "add", "corp/catalog");
      expect(added.status).toBe(0);
      const listed = await user.run("plugin", "marketplace", "list", "--json");
      expect(listed.json()[0]).toMatchObject({ name: "corp-gh", source: "github", repo: "corp/catalog" });
      expectNoToken(user, added, listed);
    }
    const wrong = cliUser({ AGENT_GITHUB_BASE_URL: `http://127.0.0.1:${authed.port}`, GITHUB_TOKEN: token + "x" });
    const refused = await wrong.run("plugin", "marketplace", "add", "corp/catalog", "--json");
    expect(refused.json().error.code).toBe("E_AUTH");
    expectNoToken(wrong, refused);
    expect(refused.stdout + refused.stderr).not.toContain(token + "x");
  });

  it("a url marketplace declared in settings sends its bearer token from the environment, not from a file", async () => {
    const user = cliUser({ CORP_TOKEN: token });
    writeFileSync(join(user.home, "settings.json"), JSON.stringify({
      extraKnownMarketplaces: { "corp-web": { source: { source: "url", url: web.url, headers: { Authorization: "Bearer ${CORP_TOKEN}" } } } },
    }));
    const pending = await user.run("plugin", "marketplace", "list", "--json");
    expect(pending.json()).toEqual([{ name: "corp-web", source: "url", url: web.url, declaredOnly: true }]);
    expect((await user.run("plugin", "marketplace", "list")).stdout).toContain("Declared in settings, not fetched yet");
    const r = await user.run("plugin", "marketplace", "update", "--json");
    expect(r.status).toBe(0);
    expect(r.json()).toEqual([expect.objectContaining({ name: "corp-web", ok: true, materialized: true, changes: { added: ["remote"], removed: [], updated: [] } })]);
    expect(user.known()["corp-web"]).toMatchObject({ source: { source: "url", url: web.url }, scope: "user" });
    expect(web.seen.at(-1)).toBe(`Bearer ${token}`);
    expect((await user.run("plugin", "marketplace", "list", "--json")).json()[0].declaredOnly).toBeUndefined();
    const again = await user.run("plugin", "marketplace", "update", "corp-web");
    expect(again.stdout).toContain("Updated corp-web");
    expectNoToken(user, r, again);

    const unset = cliUser();
    mkdirSync(unset.home, { recursive: true });
    writeFileSync(join(unset.home, "settings.json"), JSON.stringify({
      extraKnownMarketplaces: { "corp-web": { source: { source: "url", url: web.url, headers: { Authorization: "Bearer ${CORP_TOKEN}" } } } },
    }));
    const missing = await unset.run("plugin", "marketplace", "update", "corp-web", "--json");
    expect(missing.json().error).toMatchObject({ code: "E_CONFIG", hint: "Export CORP_TOKEN before running agent." });
  });

  it("AGENT_MARKETPLACE_TOKEN is the bearer token of a url marketplace added without headers", async () => {
    const user = cliUser({ AGENT_MARKETPLACE_TOKEN: token });
    const added = await user.run("plugin", "marketplace", "add", web.url);
    expect(added.status).toBe(0);
    expectNoToken(user, added);
    const anonymous = cliUser();
    const refused = await anonymous.run("plugin", "marketplace", "add", web.url, "--json");
    expect(refused.json().error.code).toBe("E_AUTH");
  });

  it("a token kept with `marketplace login` in the OS keychain is the bearer token of url marketplaces on that host", async () => {
    const keyring = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: process.env.XDG_DATA_HOME, AGENT_SECRET_STORE: "keychain" };
    const user = cliUser(keyring);
    const login = await agent(["plugin", "marketplace", "login", web.url], { env: user.env, cwd: user.cwd, stdin: `${token}\n` });
    expect(login.stderr).toBe("");
    expect(login.status).toBe(0);
    expect(login.stdout).toContain(`Token for ${new URL(web.url).origin} stored in the OS keychain`);
    const added = await user.run("plugin", "marketplace", "add", web.url);
    expect(added.status).toBe(0);
    expect(web.seen.at(-1)).toBe(`Bearer ${token}`);
    const updated = await user.run("plugin", "marketplace", "update", "corp-web");
    expect(updated.status).toBe(0);
    expectNoToken(user, login, added, updated);
  });

  it("npm marketplaces authenticate with the user's .npmrc", async () => {
    const user = cliUser({ npm_config_registry: npm.url, NPM_TOKEN: token });
    writeFileSync(join(user.env.HOME!, ".npmrc"), `${npm.url.replace(/^http:/, "")}:_authToken=\${NPM_TOKEN}\n`);
    const added = await user.run("plugin", "marketplace", "add", "npm:@corp/private-catalog");
    expect(added.status).toBe(0);
    expect(npm.requests.some((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expectNoToken(user, added);
    const anonymous = cliUser({ npm_config_registry: npm.url });
    const refused = await anonymous.run("plugin", "marketplace", "add", "npm:@corp/private-catalog", "--json");
    expect(refused.json().error.code).toBe("E_AUTH");
  });

  it("a settings-source marketplace (inline in extraKnownMarketplaces) is materialized by update", async () => {
    const user = cliUser();
    writeFileSync(join(user.home, "settings.json"), JSON.stringify({
      extraKnownMarketplaces: { "team-inline": { source: { source: "settings", name: "team-inline", plugins: [{ name: "remote", source: { source: "github", repo: "corp/remote" } }] } } },
    }));
    const r = await user.run("plugin", "marketplace", "update", "team-inline");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Fetched team-inline (declared in settings)");
    const available = (await user.run("plugin", "list", "--available", "--json")).json();
    expect(available.available.map((p: { pluginId: string }) => p.pluginId)).toContain("remote@team-inline");
  });
});
