import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pacote from "pacote";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { npmAtTerminal } from "./npm-terminal.js";
import { pack, publishBody, putJson, removeTemps, startTestRegistry, tempDir, writePlugin, type TestRegistry } from "./registry-fixture.js";

describe("registry serve speaks the npm protocol to the real npm CLI and pacote", () => {
  let registry: TestRegistry;
  let alice: string;
  beforeAll(async () => {
    registry = await startTestRegistry();
    alice = await registry.token("alice", "publish");
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  it("npm publish stores a scoped plugin; npm install fetches it with matching sha512 integrity", async () => {
    const published = await registry.npm(["publish"], { token: alice, cwd: writePlugin("@acme/greeter", "1.0.0", "greeter") });
    expect(published.stderr + published.stdout).toContain("+ @acme/greeter@1.0.0");
    const project = tempDir();
    writeFileSync(join(project, "package.json"), "{}");
    const installed = await registry.npm(["install", "@acme/greeter"], { cwd: project });
    expect(installed.code).toBe(0);
    expect(JSON.parse(readFileSync(join(project, "node_modules/@acme/greeter/.claude-plugin/plugin.json"), "utf8")).name).toBe("greeter");
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    const full = (await (await registry.request("/@acme%2fgreeter")).json()) as any;
    expect(lock.packages["node_modules/@acme/greeter"].integrity).toBe(full.versions["1.0.0"].dist.integrity);
    expect(full.versions["1.0.0"].dist.shasum).toMatch(/^[0-9a-f]{40}$/);
    expect(full.maintainers).toEqual([{ name: "alice" }]);
  });

  it("serves the abbreviated packument for Accept: application/vnd.npm.install-v1+json", async () => {
    const res = await registry.request("/@acme/greeter", { headers: { accept: "application/vnd.npm.install-v1+json" } });
    expect(res.headers.get("content-type")).toBe("application/vnd.npm.install-v1+json");
    const body = (await res.json()) as any;
    expect(Object.keys(body).sort()).toEqual(["dist-tags", "modified", "name", "versions"]);
    expect(body.versions["1.0.0"].dist.tarball).toBe(`${registry.url}/@acme/greeter/-/greeter-1.0.0.tgz`);
    expect(body.versions["1.0.0"].readme).toBeUndefined();
  });

  it("pacote.manifest and pacote.extract read from it", async () => {
    const options = { registry: `${registry.url}/`, cache: join(tempDir(), "cache"), fullMetadata: false };
    const manifest = await pacote.manifest("@acme/greeter@^1", options);
    expect(manifest.version).toBe("1.0.0");
    const dest = tempDir();
    const result = await pacote.extract("@acme/greeter@1.0.0", dest, options);
    expect(result.integrity).toBe(manifest._integrity);
    expect(existsSync(join(dest, "commands/hello.md"))).toBe(true);
  });

  it("re-publishing a version is 409 and leaves the first tarball in place", async () => {
    const before = (await (await registry.request("/@acme%2fgreeter")).json()) as any;
    const again = await registry.npm(["publish"], { token: alice, cwd: writePlugin("@acme/greeter", "1.0.0", "greeter") });
    expect(again.code).not.toBe(0);
    const direct = await registry.request("/@acme%2fgreeter", putJson(publishBody("@acme/greeter", "1.0.0", await pack(writePlugin("@acme/greeter", "1.0.0", "other"))), alice));
    expect(direct.status).toBe(409);
    expect(((await direct.json()) as any).error).toMatch(/already published/);
    const after = (await (await registry.request("/@acme%2fgreeter")).json()) as any;
    expect(after.versions["1.0.0"].dist.integrity).toBe(before.versions["1.0.0"].dist.integrity);
  });

  it("npm dist-tag add/ls/rm and npm deprecate change the packument", async () => {
    expect((await registry.npm(["publish", "--tag", "next"], { token: alice, cwd: writePlugin("@acme/greeter", "1.1.0-beta.1", "greeter") })).code).toBe(0);
    expect((await registry.npm(["dist-tag", "add", "@acme/greeter@1.0.0", "stable"], { token: alice })).code).toBe(0);
    const ls = await registry.npm(["dist-tag", "ls", "@acme/greeter"]);
    expect(ls.stdout).toContain("latest: 1.0.0");
    expect(ls.stdout).toContain("next: 1.1.0-beta.1");
    expect(ls.stdout).toContain("stable: 1.0.0");
    expect((await registry.npm(["dist-tag", "rm", "@acme/greeter", "stable"], { token: alice })).code).toBe(0);
    expect((await registry.npm(["deprecate", "@acme/greeter@1.1.0-beta.1", "use 1.0.0"], { token: alice })).code).toBe(0);
    const packument = (await (await registry.request("/@acme%2fgreeter")).json()) as any;
    expect(packument["dist-tags"]).toEqual({ latest: "1.0.0", next: "1.1.0-beta.1" });
    expect(packument.versions["1.1.0-beta.1"].deprecated).toBe("use 1.0.0");
    expect(packument.versions["1.0.0"].deprecated).toBeUndefined();
  });

  it("npm whoami names the token's user; npm owner add/ls/rm manage who may publish", async () => {
    expect((await registry.npm(["whoami"], { token: alice })).stdout.trim()).toBe("alice");
    const bob = await registry.token("bob", "publish");
    expect((await registry.npm(["owner", "add", "bob", "@acme/greeter"], { token: alice })).code).toBe(0);
    expect((await registry.npm(["owner", "ls", "@acme/greeter"])).stdout).toMatch(/alice[\s\S]*bob/);
    expect((await registry.npm(["publish"], { token: bob, cwd: writePlugin("@acme/greeter", "1.2.0", "greeter") })).code).toBe(0);
    expect((await registry.npm(["owner", "rm", "bob", "@acme/greeter"], { token: alice })).code).toBe(0);
    const owners = (await registry.npm(["owner", "ls", "@acme/greeter"])).stdout;
    expect(owners).toContain("alice");
    expect(owners).not.toContain("bob");
    const denied = await registry.npm(["publish"], { token: bob, cwd: writePlugin("@acme/greeter", "1.3.0", "greeter") });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/403|not an owner/);
  });

  it("npm login (PUT /-/user/org.couchdb.user:<name>) returns a publish token for the right password only", async () => {
    const created = await registry.request("/-/user/org.couchdb.user:carol", putJson({ name: "carol", password: "s3cret-pass", email: "c@example.test" }, registry.adminToken));
    expect(created.status).toBe(201);
    const login = await registry.request("/-/user/org.couchdb.user:carol", putJson({ name: "carol", password: "s3cret-pass" }));
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    expect((await registry.npm(["whoami"], { token })).stdout.trim()).toBe("carol");
    const wrong = await registry.request("/-/user/org.couchdb.user:carol", putJson({ name: "carol", password: "nope" }));
    const unknown = await registry.request("/-/user/org.couchdb.user:nobody", putJson({ name: "nobody", password: "nope" }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as any).error).toBe(((await unknown.json()) as any).error);
  });

  it("the real `npm login` at a terminal writes a token that npm whoami accepts", async () => {
    requireTool("script");
    await registry.request("/-/user/org.couchdb.user:erin", putJson({ name: "erin", password: "erin-pass-1" }, registry.adminToken));
    const dir = tempDir();
    const rc = join(dir, "npmrc");
    const login = (password: string) => npmAtTerminal(`npm login --auth-type=legacy --registry ${registry.url}/ --userconfig ${rc} --cache ${join(dir, "cache")}`, dir, { "Username:": "erin", "Password:": password });
    expect((await login("wrong-pass")).output).toMatch(/401|Incorrect username or password/);
    const ok = await login("erin-pass-1");
    expect(ok.output).toContain("Logged in on");
    expect(readFileSync(rc, "utf8")).toMatch(/_authToken=agr_/);
    const { execFile } = await import("node:child_process");
    const whoami = await new Promise<string>((resolve) => execFile("npm", ["whoami", "--registry", `${registry.url}/`, "--userconfig", rc, "--cache", join(dir, "cache")], { env: { PATH: process.env.PATH, HOME: dir } }, (_e, stdout) => resolve(stdout)));
    expect(whoami.trim()).toBe("erin");
  });

  it("npm search and GET /-/search?q= find published plugins", async () => {
    const search = await registry.npm(["search", "greeter", "--json"]);
    expect(JSON.parse(search.stdout).map((p: { name: string }) => p.name)).toContain("@acme/greeter");
    const body = (await (await registry.request("/-/search?q=greets")).json()) as any;
    expect(body.total).toBe(1);
    expect(body.objects[0].package.name).toBe("@acme/greeter");
  });

  it("records every write in the audit log, readable with agent registry audit --json", async () => {
    const { agent } = await import("../support/run-agent.js");
    const run = await agent(["registry", "audit", "--json", "--data", registry.dataDir]);
    expect(run.status).toBe(0);
    const actions = (run.json() as { action: string; package?: string }[]).filter((e) => e.package === "@acme/greeter").map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["publish", "dist-tag.add", "dist-tag.rm", "deprecate", "owner.add", "owner.rm"]));
  });
});
