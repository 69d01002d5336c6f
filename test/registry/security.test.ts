import { existsSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack, publishBody, putJson, removeTemps, startTestRegistry, writePlugin, type TestRegistry } from "./registry-fixture.js";
import { pluginEntries, rawTarball } from "./raw-tarball.js";

const json = async (res: Response) => (await res.json()) as any;

describe("registry access control: 401/403 and nothing written", () => {
  let registry: TestRegistry;
  let alice: string;
  let bob: string;
  let reader: string;
  beforeAll(async () => {
    registry = await startTestRegistry();
    alice = await registry.token("alice", "publish");
    bob = await registry.token("bob", "publish");
    reader = await registry.token("rita", "read");
    expect((await registry.npm(["publish"], { token: alice, cwd: writePlugin("owned", "1.0.0") })).code).toBe(0);
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  it("publishing without a token is 401 and writes no package", async () => {
    const res = await registry.request("/fresh", putJson(publishBody("fresh", "1.0.0", await pack(writePlugin("fresh", "1.0.0")))));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/Bearer/);
    expect((await registry.request("/fresh")).status).toBe(404);
    expect(existsSync(join(registry.dataDir, "packages", "fresh"))).toBe(false);
  });

  it("a read token cannot publish (403); a wrong token is 401", async () => {
    const body = putJson(publishBody("fresh", "1.0.0", await pack(writePlugin("fresh", "1.0.0"))), reader);
    expect((await registry.request("/fresh", body)).status).toBe(403);
    expect((await registry.request("/fresh", { ...body, token: "agr_not-a-real-token" })).status).toBe(401);
    expect(existsSync(join(registry.dataDir, "packages", "fresh"))).toBe(false);
  });

  it("a publisher who does not own a package cannot publish to it, tag it or change its owners (403)", async () => {
    const publish = await registry.request("/owned", putJson(publishBody("owned", "2.0.0", await pack(writePlugin("owned", "2.0.0"))), bob));
    expect(publish.status).toBe(403);
    expect((await json(publish)).error).toBe("bob is not an owner of owned");
    const tag = await registry.request("/-/package/owned/dist-tags/evil", { method: "PUT", body: '"1.0.0"', headers: { "content-type": "application/json" }, token: bob });
    expect(tag.status).toBe(403);
    const owners = await registry.request("/owned/-rev/x", putJson({ _id: "owned", maintainers: [{ name: "bob" }] }, bob));
    expect(owners.status).toBe(403);
    const packument = await json(await registry.request("/owned"));
    expect(Object.keys(packument.versions)).toEqual(["1.0.0"]);
    expect(packument["dist-tags"]).toEqual({ latest: "1.0.0" });
    expect(packument.maintainers).toEqual([{ name: "alice" }]);
  });

  it("unpublish needs an admin; an unpublished version is a tombstone that can never be published again", async () => {
    expect((await registry.npm(["publish"], { token: alice, cwd: writePlugin("owned", "1.1.0") })).code).toBe(0);
    const denied = await registry.npm(["unpublish", "owned@1.1.0"], { token: alice });
    expect(denied.code).not.toBe(0);
    expect(Object.keys((await json(await registry.request("/owned"))).versions)).toEqual(["1.0.0", "1.1.0"]);
    expect((await registry.npm(["unpublish", "owned@1.1.0"], { token: registry.adminToken })).code).toBe(0);
    const after = await json(await registry.request("/owned"));
    expect(Object.keys(after.versions)).toEqual(["1.0.0"]);
    expect(after["dist-tags"].latest).toBe("1.0.0");
    expect((await registry.request("/owned/-/owned-1.1.0.tgz")).status).toBe(404);
    const again = await registry.request("/owned", putJson(publishBody("owned", "1.1.0", await pack(writePlugin("owned", "1.1.0"))), alice));
    expect(again.status).toBe(409);
    expect((await json(again)).details.reason).toBe("tombstoned");
    const { agent } = await import("../support/run-agent.js");
    const log = (await agent(["registry", "audit", "--json", "--package", "owned", "--data", registry.dataDir])).json() as { action: string; actor: string; version?: string }[];
    expect(log).toContainEqual(expect.objectContaining({ action: "unpublish", actor: "admin", version: "1.1.0" }));
  });

  it("failed authentications from one address are rate limited with 429", async () => {
    const limited = await startTestRegistry({ limits: { authFailureLimit: 3, authFailureWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.request("/-/whoami", { token: `agr_guess_${i}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const blocked = await limited.request("/-/whoami", { token: limited.adminToken });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe("private mode: every read needs a token", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry({ private: true });
    expect((await registry.npm(["publish"], { token: registry.adminToken, cwd: writePlugin("secret-plugin", "1.0.0") })).code).toBe(0);
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  it("packument, tarball, search, dist-tags and marketplace.json are 401 without a token and 200 with a read token", async () => {
    const reader = await registry.token("rita", "read");
    for (const path of ["/secret-plugin", "/secret-plugin/-/secret-plugin-1.0.0.tgz", "/-/v1/search?text=secret", "/-/package/secret-plugin/dist-tags", "/marketplace.json"]) {
      expect([path, (await registry.request(path)).status]).toEqual([path, 401]);
      expect([path, (await registry.request(path, { token: reader })).status]).toEqual([path, 200]);
    }
    expect((await registry.npm(["view", "secret-plugin", "version"])).code).not.toBe(0);
    expect((await registry.npm(["view", "secret-plugin", "version"], { token: reader })).stdout.trim()).toBe("1.0.0");
  });
});

describe("hostile publish bodies get a 4xx with a clear message and write nothing", () => {
  let registry: TestRegistry;
  let token: string;
  beforeAll(async () => {
    registry = await startTestRegistry({ limits: { maxBodyBytes: 64 * 1024 } });
    token = await registry.token("alice", "publish");
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  const expectRejected = async (name: string, res: Response, status: number, message: RegExp) => {
    const body = await json(res);
    expect([res.status, body.error]).toEqual([status, expect.stringMatching(message)]);
    expect(existsSync(join(registry.dataDir, "packages", name, "packument.json"))).toBe(false);
  };

  it("an oversized body is 413", async () => {
    const body = publishBody("big", "1.0.0", await pack(writePlugin("big", "1.0.0")));
    (body as any).readme = "x".repeat(100 * 1024);
    await expectRejected("big", await registry.request("/big", putJson(body, token)), 413, /larger than 65536 bytes/);
  });

  it("an answer given before the body was read says Connection: close, and the client's next request works", async () => {
    // the server drops such a connection shortly after answering; a client that kept it for its next
    // request would see that request fail ("other side closed")
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string, auth?: string) =>
      new Promise<{ status: number; connection: string | undefined; reused: boolean }>((resolve, reject) => {
        const headers: Record<string, string> = body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {};
        if (auth) headers.authorization = `Bearer ${auth}`;
        const req = httpRequest(`${registry.url}${path}`, { method, agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      const big = JSON.stringify({ name: "big2", readme: "x".repeat(200 * 1024) });
      expect(await send("PUT", "/big2", big, token)).toMatchObject({ status: 413, connection: "close" });
      // refused by auth (a wrong token) before the route read the body
      expect(await send("PUT", "/big2", JSON.stringify({ name: "big2" }), "agr_not-a-real-token")).toMatchObject({ status: 401, connection: "close" });
      await new Promise((resolve) => setTimeout(resolve, 700));
      for (let i = 0; i < 3; i++) expect(await send("GET", "/-/ping")).toMatchObject({ status: 200, connection: "keep-alive", reused: i > 0 });
      // a body the route read keeps the connection
      expect(await send("PUT", "/broken", '{"name": "broken",', token)).toMatchObject({ status: 400, connection: "keep-alive", reused: true });
    } finally {
      agent.destroy();
    }
  });

  it("malformed JSON is 400", async () => {
    await expectRejected("broken", await registry.request("/broken", { method: "PUT", body: '{"name": "broken",', headers: { "content-type": "application/json" }, token }), 400, /Malformed JSON/);
  });

  it("an attachment whose sha512 or length does not match the declared dist is 400", async () => {
    const tarball = await pack(writePlugin("mismatch", "1.0.0"));
    const wrongSha = publishBody("mismatch", "1.0.0", tarball, { integrity: `sha512-${Buffer.alloc(64).toString("base64")}` });
    await expectRejected("mismatch", await registry.request("/mismatch", putJson(wrongSha, token)), 400, /sha512 does not match/);
    await expectRejected("mismatch", await registry.request("/mismatch", putJson(publishBody("mismatch", "1.0.0", tarball, { length: 7 }), token)), 400, /declares length 7/);
  });

  it("tarballs with .. entries, absolute paths or links are 400 E_UNSAFE_ARCHIVE", async () => {
    const cases = [
      { path: "package/../../escape.txt", body: "x" },
      { path: "/etc/evil", body: "x" },
      { path: "package/link", type: "SymbolicLink" as const, linkpath: "/etc/passwd" },
    ];
    for (const extra of cases) {
      const res = await registry.request("/evil", putJson(publishBody("evil", "1.0.0", rawTarball(pluginEntries("evil", "1.0.0", [extra]))), token));
      expect((await json(res.clone())).code).toBe("E_UNSAFE_ARCHIVE");
      await expectRejected("evil", res, 400, /Tarball entry/);
    }
  });

  it("a package that is not a Claude Code plugin is 400", async () => {
    const tarball = rawTarball([{ path: "package/package.json", body: JSON.stringify({ name: "plain", version: "1.0.0" }) }]);
    await expectRejected("plain", await registry.request("/plain", putJson(publishBody("plain", "1.0.0", tarball), token)), 400, /not a Claude Code plugin/);
  });

  it("package names with traversal are 400", async () => {
    const res = await registry.request("/..%2f..%2fetc", putJson(publishBody("../../etc", "1.0.0", await pack(writePlugin("x", "1.0.0"))), token));
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatch(/Invalid package name/);
    expect((await registry.request("/..%2fdata/-/x.tgz")).status).toBe(400);
    expect((await registry.request("/@scope%2f..%2f..")).status).toBe(400);
  });
});

describe("concurrent publishes", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry();
  });
  afterAll(async () => {
    await registry.close();
    removeTemps();
  });

  it("of the same version: exactly one 201, the rest 409, and the stored tarball is the winner's", async () => {
    const token = await registry.token("alice", "publish");
    const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => pack(writePlugin("race", "1.0.0", `race-${i}`)).then((t) => publishBody("race", "1.0.0", t))));
    const responses = await Promise.all(bodies.map((body) => registry.request("/race", putJson(body, token))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = bodies[responses.findIndex((r) => r.status === 201)] as any;
    const stored = await json(await registry.request("/race"));
    expect(stored.versions["1.0.0"].dist.integrity).toBe(winner.versions["1.0.0"].dist.integrity);
  });

  it("of different versions: every version and tag lands", async () => {
    const token = await registry.token("alice", "publish");
    const versions = ["2.0.0", "2.0.1", "2.0.2", "2.0.3", "2.0.4"];
    const bodies = await Promise.all(versions.map((v) => pack(writePlugin("race", v, "race")).then((t) => publishBody("race", v, t))));
    const statuses = await Promise.all(bodies.map((body) => registry.request("/race", putJson(body, token)).then((r) => r.status)));
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(Object.keys((await json(await registry.request("/race"))).versions).sort()).toEqual(["1.0.0", ...versions]);
  });
});

describe("request deadlines", () => {
  it("a client that stops sending mid-body gets 408 and its connection closed", async () => {
    const registry = await startTestRegistry({ requestTimeoutMs: 500 });
    try {
      const { connect } = await import("node:net");
      const port = Number(new URL(registry.url).port);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.write("PUT /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":"));
        let data = "";
        socket.on("data", (chunk) => (data += chunk));
        socket.on("close", () => resolve(data));
        socket.on("error", reject);
        setTimeout(() => reject(new Error("the server kept the stalled request open for 15 s")), 15_000).unref();
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(existsSync(join(registry.dataDir, "packages", "slow"))).toBe(false);
    } finally {
      await registry.close();
    }
  });
});
