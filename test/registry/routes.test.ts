import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryApp } from "../../registry/server/app.js";
import { mintToken } from "../../registry/server/auth/token.js";
import { ensureUser } from "../../registry/server/auth/ensure-user.js";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import type { Storage } from "../../registry/server/storage/storage.js";
import { publishBody, removeTemps, tempDir } from "./registry-fixture.js";
import { pluginEntries, rawTarball } from "./raw-tarball.js";

/** Route behaviour through app.request, without a port. */
describe("registry routes", () => {
  let storage: Storage;
  let app: ReturnType<typeof createRegistryApp>;
  let admin: string;
  let alice: string;
  const call = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("authorization", `Bearer ${init.token}`);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    return app.request(`http://registry.test${path}`, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
  };
  const publish = (name: string, version: string, token = alice) => call(`/${name.replace("/", "%2f")}`, { method: "PUT", token, json: publishBody(name, version, rawTarball(pluginEntries(name, version))) });

  beforeAll(async () => {
    storage = await openFsStorage(tempDir());
    app = createRegistryApp({ storage });
    await ensureUser(storage, "admin");
    await ensureUser(storage, "alice");
    admin = (await mintToken(storage, "admin", "admin")).token;
    alice = (await mintToken(storage, "alice", "publish")).token;
    expect((await publish("@acme/tools", "1.0.0")).status).toBe(201);
    expect((await publish("@acme/tools", "1.1.0")).status).toBe(201);
  });
  afterAll(async () => {
    await storage.close();
    removeTemps();
  });

  it("answers scoped names spelled @scope%2fname, @scope%2Fname and @scope/name alike", async () => {
    for (const path of ["/@acme%2ftools", "/@acme%2Ftools", "/@acme/tools"]) {
      const res = await call(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(((await res.json()) as any).versions["1.1.0"].dist.tarball).toBe("http://registry.test/@acme/tools/-/tools-1.1.0.tgz");
    }
  });

  it("revalidates packuments with ETag and 304", async () => {
    const first = await call("/@acme/tools", { headers: { accept: "application/vnd.npm.install-v1+json" } });
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await call("/@acme/tools", { headers: { accept: "application/vnd.npm.install-v1+json", "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("unknown packages and paths are JSON 404s with a code", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: "Package nope not found", code: "E_NOT_FOUND", hint: expect.any(String) });
    expect((await call("/@acme/tools/-/tools-9.9.9.tgz")).status).toBe(404);
  });

  it("refuses to remove the latest tag, tags that look like versions, and the last owner", async () => {
    expect((await call("/-/package/@acme%2ftools/dist-tags/latest", { method: "DELETE", token: alice })).status).toBe(400);
    const versionLike = await call("/-/package/@acme%2ftools/dist-tags/1.0.0", { method: "PUT", token: alice, json: "1.0.0" });
    expect(versionLike.status).toBe(400);
    expect(((await versionLike.json()) as any).error).toMatch(/Invalid dist-tag/);
    const lastOwner = await call("/@acme%2ftools/-rev/1", { method: "PUT", token: alice, json: { maintainers: [] } });
    expect(lastOwner.status).toBe(400);
    expect(await storage.getOwners("@acme/tools")).toEqual(["alice"]);
  });

  it("npm logout revokes only the caller's own token", async () => {
    const { token } = await mintToken(storage, "alice", "read");
    expect((await call(`/-/user/token/${alice}`, { method: "DELETE", token })).status).toBe(403);
    expect((await call(`/-/user/token/${token}`, { method: "DELETE", token })).status).toBe(200);
    expect((await call("/-/whoami", { token })).status).toBe(401);
    expect((await call("/-/whoami", { token: alice })).status).toBe(200);
  });

  it("unpublishing a whole package (admin) tombstones every version", async () => {
    expect((await publish("doomed", "1.0.0")).status).toBe(201);
    expect((await call("/doomed/-rev/1", { method: "DELETE", token: alice })).status).toBe(403);
    expect((await call("/doomed/-rev/1", { method: "DELETE", token: admin })).status).toBe(200);
    expect((await call("/doomed")).status).toBe(404);
    expect(await storage.listTombstones("doomed")).toEqual(["1.0.0"]);
    expect((await publish("doomed", "1.0.0")).status).toBe(409);
    expect((await publish("doomed", "1.0.1")).status).toBe(201);
  });

  it("a publish whose tarball's package.json names another package is 400", async () => {
    const body = publishBody("honest", "1.0.0", rawTarball(pluginEntries("other", "1.0.0")));
    const res = await call("/honest", { method: "PUT", token: alice, json: body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatch(/tarball's package.json is other@1.0.0/);
    expect(await storage.getPackument("honest")).toBeUndefined();
  });
});
