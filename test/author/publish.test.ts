import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { putJson, startTestRegistry, type TestRegistry } from "../registry/registry-fixture.js";
import { startForwardProxy } from "../support/forward-proxy.js";
import { agent } from "../support/run-agent.js";
import { authorEnv, removeWorkDirs, workDir } from "./work-dir.js";

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(() => registry.close());
afterEach(removeWorkDirs);

async function newPlugin(root: string, name: string): Promise<string> {
  const init = await agent(["plugin", "init", name, "--with", "skills,commands"], { cwd: root, env: authorEnv(root) });
  expect(init.status).toBe(0);
  return join(root, name);
}

describe("agent login and agent plugin publish against the project's registry server", () => {
  it("logs in with a user name and password, publishes, and real npm installs the exact tarball", async () => {
    const root = workDir();
    const env = authorEnv(root);
    const created = await registry.request("/-/user/org.couchdb.user:alice", putJson({ name: "alice", password: "correct horse" }, registry.adminToken));
    expect(created.status).toBe(201);
    const login = await agent(["login", "--registry", registry.url, "--username", "alice", "--json"], { cwd: root, env, stdin: "correct horse\n" });
    expect(login.status).toBe(0);
    expect(login.json()).toMatchObject({ user: "alice", store: "keychain" });
    const plugin = await newPlugin(root, "greeter");
    const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
    expect(publish.status).toBe(0);
    const published = publish.json();
    expect(published).toMatchObject({ name: "greeter", version: "0.1.0", tag: "latest", dryRun: false, tokenFrom: "agent login" });
    const packument = await (await registry.request("/greeter")).json();
    expect(packument["dist-tags"].latest).toBe("0.1.0");
    expect(packument.versions["0.1.0"].dist.integrity).toBe(published.integrity);
    expect(packument.versions["0.1.0"].keywords).toContain("claude-code-plugin");
    const project = workDir();
    writeFileSync(join(project, "package.json"), '{"name":"consumer","version":"1.0.0"}');
    const install = await registry.npm(["install", "greeter@0.1.0"], { cwd: project });
    expect(install.code).toBe(0);
    expect(readFileSync(join(project, "node_modules", "greeter", "skills", "hello", "SKILL.md"), "utf8")).toContain("greeter");
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    expect(lock.packages["node_modules/greeter"].integrity).toBe(published.integrity);
    // nothing secret was written under the agent home: the token lives in the keychain
    expect(() => statSync(join(root, "agent-home", ".credentials.json"))).toThrow();
  });

  it("a published plugin installs with agent through the registry's marketplace.json and npm source", async () => {
    const root = workDir();
    const env = authorEnv(root, { AGENT_SECRET_STORE: "file" });
    const token = await registry.token("erin", "publish");
    await agent(["login", "--registry", registry.url, "--token", token], { cwd: root, env });
    const plugin = await newPlugin(root, "roundtrip");
    const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
    expect(publish.status).toBe(0);
    const marketplace = await (await registry.request("/marketplace.json")).json();
    const add = await agent(["plugin", "marketplace", "add", `${registry.url}/marketplace.json`, "--json"], { cwd: root, env });
    expect(add.status).toBe(0);
    const install = await agent(["plugin", "install", `roundtrip@${marketplace.name}`, "--json"], { cwd: root, env });
    expect(install.status).toBe(0);
    const installed = JSON.parse(readFileSync(join(root, "agent-home", "plugins", "installed_plugins.json"), "utf8")).plugins[`roundtrip@${marketplace.name}`][0];
    expect(installed.version).toBe("0.1.0");
    expect(readFileSync(join(installed.installPath, "commands", "hello.md"), "utf8")).toContain("roundtrip");
  });

  it("stores a --token in a 0600 file without a keychain, and publishes with it under another dist-tag", async () => {
    const root = workDir();
    const env = authorEnv(root, { AGENT_SECRET_STORE: "file" });
    const token = await registry.token("bob", "publish");
    const login = await agent(["login", "--registry", registry.url, "--token", token, "--json"], { cwd: root, env });
    expect(login.json()).toMatchObject({ user: "bob", store: "file" });
    const secrets = join(root, "agent-home", ".credentials.json");
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(readFileSync(secrets, "utf8")).toContain(token);
    const plugin = await newPlugin(root, "tagged");
    const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--tag", "next"], { cwd: root, env });
    expect(publish.status).toBe(0);
    expect(publish.stdout).toContain("Published tagged@0.1.0 (next)");
    expect((await (await registry.request("/tagged")).json())["dist-tags"]).toMatchObject({ next: "0.1.0" });
  });

  it("logs in and publishes through HTTP_PROXY, and not through it when NO_PROXY lists the registry", async () => {
    const proxy = await startForwardProxy();
    try {
      const root = workDir();
      const origin = new URL(registry.url).origin;
      const env = authorEnv(root, { AGENT_SECRET_STORE: "file", HTTP_PROXY: proxy.url });
      const token = await registry.token("dave", "publish");
      const login = await agent(["login", "--registry", registry.url, "--token", token, "--json"], { cwd: root, env });
      expect(login.status, login.stderr).toBe(0);
      const plugin = await newPlugin(root, "proxied");
      const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
      expect(publish.status, publish.stderr).toBe(0);
      expect((await registry.request("/proxied")).status).toBe(200);
      expect(proxy.seen).toContain(`PUT ${origin}/proxied`);
      const sent = proxy.seen.length;
      const direct = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--tag", "direct"], { cwd: root, env: { ...env, NO_PROXY: "127.0.0.1" } });
      expect(direct.status).toBe(5); // the version exists: E_CONFLICT, answered by the registry itself
      expect(proxy.seen.length).toBe(sent);
    } finally {
      await proxy.close();
    }
  });

  it("a proxy that cannot be reached, or is not a URL, fails the publish with a clear error", async () => {
    const root = workDir();
    const token = await registry.token("frank", "publish");
    const plugin = await newPlugin(root, "unproxied");
    const unreachable = authorEnv(root, { AGENT_SECRET_STORE: "file", HTTP_PROXY: "http://127.0.0.1:9" });
    await agent(["login", "--registry", registry.url, "--token", token], { cwd: root, env: { ...unreachable, HTTP_PROXY: "" } });
    const refused = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env: unreachable });
    expect(refused.status).not.toBe(0);
    expect(refused.json().error).toMatchObject({ code: "E_NETWORK" });
    expect(refused.json().error.hint).toContain("HTTPS_PROXY");
    const garbled = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env: { ...unreachable, HTTP_PROXY: "http://[::1" } });
    expect(garbled.status).toBe(2);
    expect(garbled.json().error).toMatchObject({ code: "E_USAGE" });
    expect((await registry.request("/unproxied")).status).toBe(404);
  });

  it("uses //host:port/:_authToken from .npmrc when agent login was never run", async () => {
    const root = workDir();
    const token = await registry.token("carol", "publish");
    const npmrc = join(root, "npmrc");
    writeFileSync(npmrc, `//127.0.0.1:${new URL(registry.url).port}/:_authToken=${token}\n`);
    const env = authorEnv(root, { AGENT_SECRET_STORE: "file", NPM_CONFIG_USERCONFIG: npmrc });
    const plugin = await newPlugin(root, "from-npmrc");
    const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
    expect(publish.status).toBe(0);
    expect(publish.json().tokenFrom).toBe(".npmrc");
    expect((await registry.request("/from-npmrc")).status).toBe(200);
  });

  it("refuses an invalid plugin with the validator's findings and sends nothing", async () => {
    const root = workDir();
    const env = authorEnv(root, { AGENT_SECRET_STORE: "file" });
    const plugin = await newPlugin(root, "broken");
    writeFileSync(join(plugin, ".claude-plugin", "plugin.json"), JSON.stringify({ name: "broken", version: "0.1.0", commands: "commands/" }));
    const before = registry.request;
    const publish = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
    expect(publish.status).toBe(1);
    const error = publish.json().error;
    expect(error.code).toBe("E_INVALID_MANIFEST");
    expect(error.details.findings.some((f: { path: string; severity: string }) => f.path.startsWith("commands") && f.severity === "error")).toBe(true);
    expect((await before("/broken")).status).toBe(404);
  });

  it("a dry run sends nothing; a re-publish is E_CONFLICT; a bad token is E_AUTH", async () => {
    const root = workDir();
    const token = await registry.token("dave", "publish");
    const env = authorEnv(root, { AGENT_SECRET_STORE: "file" });
    await agent(["login", "--registry", registry.url, "--token", token], { cwd: root, env });
    const plugin = await newPlugin(root, "once");
    const dry = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--dry-run"], { cwd: root, env });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("Would publish once@0.1.0");
    expect((await registry.request("/once")).status).toBe(404);
    expect((await agent(["plugin", "publish", plugin, "--registry", registry.url], { cwd: root, env })).status).toBe(0);
    const again = await agent(["plugin", "publish", plugin, "--registry", registry.url, "--json"], { cwd: root, env });
    expect(again.status).toBe(5);
    expect(again.json().error.code).toBe("E_CONFLICT");
    const badLogin = await agent(["login", "--registry", registry.url, "--token", "agr_not_a_real_token", "--json"], { cwd: root, env: authorEnv(workDir(), { AGENT_SECRET_STORE: "file" }) });
    expect(badLogin.status).toBe(4);
    expect(badLogin.json().error.code).toBe("E_AUTH");
  });
});
