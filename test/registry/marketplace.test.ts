import { generateKeyPairSync } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUser } from "../marketplace/support.js";
import { agent } from "../support/run-agent.js";
import { removeTemps, startTestRegistry, tempDir, writePlugin, type TestRegistry } from "./registry-fixture.js";

/** Any static file host: files under root by decoded path, nothing else. */
async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": path.endsWith(".tgz") ? "application/octet-stream" : "application/json" });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("GET /marketplace.json: agent adds the registry as a marketplace and installs from it", () => {
  let registry: TestRegistry;
  let pubkeyFile: string;
  let otherKeyFile: string;
  beforeAll(async () => {
    const keys = tempDir();
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(join(keys, "catalog.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    pubkeyFile = join(keys, "catalog.pub.pem");
    writeFileSync(pubkeyFile, publicKey.export({ type: "spki", format: "pem" }));
    otherKeyFile = join(keys, "other.pub.pem");
    writeFileSync(otherKeyFile, generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));
    const { readSigningKey } = await import("../../registry/server/catalog/sign-catalog.js");
    registry = await startTestRegistry({ signingKey: await readSigningKey(join(keys, "catalog.pem")), marketplaceName: "acme-registry" });
    const token = await registry.token("alice", "publish");
    expect((await registry.npm(["publish"], { token, cwd: writePlugin("@acme/hello-plugin", "1.0.0", "hello") })).code).toBe(0);
    expect((await registry.npm(["publish"], { token, cwd: writePlugin("@acme/hello-plugin", "1.1.0", "hello") })).code).toBe(0);
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  it("lists the latest version of each plugin with an npm source pointing back at the registry", async () => {
    const marketplace = (await (await registry.request("/marketplace.json")).json()) as any;
    expect(marketplace.name).toBe("acme-registry");
    expect(marketplace.plugins).toEqual([
      expect.objectContaining({ name: "hello", version: "1.1.0", source: { source: "npm", package: "@acme/hello-plugin", version: "1.1.0", registry: `${registry.url}/` } }),
    ]);
    const validate = await agent(["plugin", "validate", await saved(registry)]);
    expect(validate.stdout).toContain("Validation passed");
  });

  it("marketplace add <url> --pubkey verifies the ed25519 signature, then plugin install fetches the npm package", async () => {
    const user = cliUser();
    const add = await user.run("plugin", "marketplace", "add", `${registry.url}/marketplace.json`, "--pubkey", pubkeyFile, "--json");
    expect(add.stderr).not.toContain("✘");
    expect(add.json()).toMatchObject({ name: "acme-registry", plugins: 1 });
    const install = await user.run("plugin", "install", "hello@acme-registry", "--json");
    expect([install.status, install.stdout]).toEqual([0, expect.any(String)]);
    const list = (await user.run("plugin", "list", "--json")).json() as any[];
    const hello = list.find((p) => p.id === "hello@acme-registry" || p.name === "hello");
    expect(hello).toBeDefined();
    expect(JSON.stringify(hello)).toContain("1.1.0");
  });

  it("marketplace add with the wrong --pubkey fails with E_INTEGRITY and records nothing", async () => {
    const user = cliUser();
    const before = user.hash();
    const add = await user.run("plugin", "marketplace", "add", `${registry.url}/marketplace.json`, "--pubkey", otherKeyFile, "--json");
    expect(add.status).not.toBe(0);
    expect(add.json().error.code).toBe("E_INTEGRITY");
    expect(user.hash()).toBe(before);
  });

  it("agent registry export writes a mirror a static host serves; npm and agent install from it", async () => {
    const dir = tempDir();
    const host = await serveStatic(dir);
    try {
      const exported = await agent(["registry", "export", dir, "--base-url", host.url, "--data", registry.dataDir, "--name", "acme-mirror", "--json"]);
      expect(exported.status).toBe(0);
      expect(exported.json()).toMatchObject({ packages: 1, versions: 2, plugins: 1 });
      const marketplace = JSON.parse(readFileSync(join(dir, "marketplace.json"), "utf8"));
      expect(marketplace.plugins[0].source).toEqual({ source: "npm", package: "@acme/hello-plugin", version: "1.1.0", registry: `${host.url}/` });

      const project = tempDir();
      writeFileSync(join(project, "package.json"), "{}");
      const { execFile } = await import("node:child_process");
      const { promisify } = await import("node:util");
      await promisify(execFile)("npm", ["install", "@acme/hello-plugin@1.0.0", "--registry", `${host.url}/`, "--cache", join(project, ".cache"), "--userconfig", join(project, ".npmrc")], { cwd: project, env: { PATH: process.env.PATH, HOME: project }, timeout: 60_000 });
      expect(JSON.parse(readFileSync(join(project, "node_modules/@acme/hello-plugin/package.json"), "utf8")).version).toBe("1.0.0");

      const user = cliUser();
      expect((await user.run("plugin", "marketplace", "add", `${host.url}/marketplace.json`)).status).toBe(0);
      const install = await user.run("plugin", "install", "hello@acme-mirror");
      expect([install.status, install.stderr]).toEqual([0, expect.any(String)]);
    } finally {
      await host.close();
    }
  });
});

async function saved(registry: TestRegistry): Promise<string> {
  const file = join(tempDir(), "marketplace.json");
  writeFileSync(file, await (await registry.request("/marketplace.json")).text());
  return file;
}
