import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentError } from "../../schemas/errors.js";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import { openPostgresStorage } from "../../registry/server/storage/postgres-storage.js";
import type { PublishInput, Storage } from "../../registry/server/storage/storage.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";

let cluster: PostgresCluster;
let databases = 0;
const tempDirs: string[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function publishInput(name: string, version: string, extra: Partial<PublishInput> = {}): PublishInput {
  const tarball = new TextEncoder().encode(`${name}@${version} ${Math.random()}`);
  const file = `${name.split("/").pop()}-${version}.tgz`;
  return {
    name,
    version,
    manifest: {
      name,
      version,
      description: `${name} plugin`,
      dist: {
        tarball: `${name}/-/${file}`,
        integrity: "sha512-" + createHash("sha512").update(tarball).digest("base64"),
        shasum: createHash("sha1").update(tarball).digest("hex"),
      },
    },
    tarballFile: file,
    tarball,
    distTags: { latest: version },
    description: `${name} plugin`,
    publisher: "alice",
    publisherIsAdmin: false,
    time: new Date().toISOString(),
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

const stores: [string, () => Promise<Storage>][] = [
  ["postgres", async () => openPostgresStorage(await cluster.createDatabase(`contract_${++databases}`))],
  [
    "filesystem (parity)",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "agent-fs-store-"));
      tempDirs.push(dir);
      return openFsStorage(dir);
    },
  ],
];

describe.each(stores)("Storage contract: %s", (_kind, open) => {
  let store: Storage;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("publishes a version and serves its packument and tarball", async () => {
    const input = publishInput("alpha", "1.0.0", { keywords: ["lint", "review"], readme: "# alpha" });
    const stored = await store.publishVersion(input);
    expect(stored.packument.name).toBe("alpha");
    expect(stored.packument["dist-tags"]).toEqual({ latest: "1.0.0" });
    expect(stored.packument.versions["1.0.0"]?.dist.integrity).toBe(input.manifest.dist.integrity);
    expect(stored.packument.time["1.0.0"]).toBe(input.time);
    expect(stored.packument.readme).toBe("# alpha");
    expect(Buffer.from((await store.getTarball("alpha", "alpha-1.0.0.tgz"))!)).toEqual(Buffer.from(input.tarball));
    expect(await store.getTarball("alpha", "alpha-9.9.9.tgz")).toBeUndefined();
    expect(await store.getPackument("missing")).toBeUndefined();
    expect(await store.getOwners("alpha")).toEqual(["alice"]);
  });

  it("refuses to re-publish a version (E_CONFLICT version-exists) and keeps the first tarball", async () => {
    const first = publishInput("beta", "1.0.0");
    await store.publishVersion(first);
    const error = await rejection(store.publishVersion(publishInput("beta", "1.0.0")));
    expect(error.code).toBe("E_CONFLICT");
    expect(error.details.reason).toBe("version-exists");
    expect(Buffer.from((await store.getTarball("beta", "beta-1.0.0.tgz"))!)).toEqual(Buffer.from(first.tarball));
  });

  it("lets exactly one of many concurrent publishes of one version win", async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.publishVersion(publishInput("gamma", "1.0.0"))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AgentError).details.reason).toBe("version-exists");
  });

  it("keeps every version when different versions of one package are published concurrently", async () => {
    const versions = Array.from({ length: 8 }, (_, i) => `1.${i}.0`);
    await Promise.all(versions.map((v) => store.publishVersion(publishInput("delta", v, { distTags: { [`t${v.replace(/\./g, "")}`]: v } }))));
    const packument = (await store.getPackument("delta"))!.packument;
    expect(Object.keys(packument.versions).sort()).toEqual(versions);
    expect(Object.keys(packument["dist-tags"])).toHaveLength(8);
  });

  it("tombstones an unpublished version forever and moves latest to the newest remaining version", async () => {
    await store.publishVersion(publishInput("eps", "1.0.0"));
    await store.publishVersion(publishInput("eps", "2.0.0"));
    await store.putDistTag("eps", "beta", "2.0.0");
    await store.unpublishVersion("eps", "2.0.0");
    const packument = (await store.getPackument("eps"))!.packument;
    expect(Object.keys(packument.versions)).toEqual(["1.0.0"]);
    expect(packument["dist-tags"]).toEqual({ latest: "1.0.0" });
    expect(packument.time["2.0.0"]).toBeDefined();
    expect(await store.getTarball("eps", "eps-2.0.0.tgz")).toBeUndefined();
    expect(await store.listTombstones("eps")).toEqual(["2.0.0"]);
    const error = await rejection(store.publishVersion(publishInput("eps", "2.0.0")));
    expect([error.code, error.details.reason]).toEqual(["E_CONFLICT", "tombstoned"]);
    expect((await rejection(store.unpublishVersion("eps", "7.0.0"))).code).toBe("E_NOT_FOUND");
  });

  it("stores author text that carries U+0000 instead of failing the publish", async () => {
    const input = publishInput("nul-kit", "1.0.0", { description: "a\u0000b", readme: "r\u0000", keywords: ["k\u0000"] });
    input.manifest.description = "a\u0000b";
    const stored = await store.publishVersion(input);
    expect(stored.packument.description).toMatch(/^a.b$/);
    expect((await store.getPackument("nul-kit"))!.packument.versions["1.0.0"]?.description).toMatch(/^a.b$/);
    await store.setDeprecations("nul-kit", { "1.0.0": "old\u0000" });
    await store.appendAudit({ at: new Date().toISOString(), actor: "alice", action: "deprecate", package: "nul-kit", detail: { message: "old\u0000" } });
    expect((await store.listAudit({ package: "nul-kit" })).length).toBe(1);
  });

  it("sets and clears dist-tags and deprecations, changing the rev each time", async () => {
    await store.publishVersion(publishInput("zeta", "1.0.0"));
    await store.publishVersion(publishInput("zeta", "1.1.0", { distTags: {} }));
    const rev0 = (await store.getPackument("zeta"))!.rev;
    await store.putDistTag("zeta", "next", "1.1.0");
    const rev1 = (await store.getPackument("zeta"))!.rev;
    expect(rev1).not.toBe(rev0);
    expect((await store.getPackument("zeta"))!.packument["dist-tags"]).toEqual({ latest: "1.0.0", next: "1.1.0" });
    await store.removeDistTag("zeta", "next");
    expect((await store.getPackument("zeta"))!.packument["dist-tags"]).toEqual({ latest: "1.0.0" });
    expect((await rejection(store.removeDistTag("zeta", "next"))).code).toBe("E_NOT_FOUND");
    expect((await rejection(store.putDistTag("zeta", "x", "9.0.0"))).code).toBe("E_NOT_FOUND");
    await store.setDeprecations("zeta", { "1.0.0": "use 1.1.0" });
    expect((await store.getPackument("zeta"))!.packument.versions["1.0.0"]?.deprecated).toBe("use 1.1.0");
    await store.setDeprecations("zeta", { "1.0.0": "" });
    expect((await store.getPackument("zeta"))!.packument.versions["1.0.0"]?.deprecated).toBeUndefined();
    expect((await rejection(store.setDeprecations("zeta", { "3.0.0": "x" }))).code).toBe("E_NOT_FOUND");
  });

  it("lists and searches packages by name, description and keywords, scoped names included", async () => {
    await store.publishVersion(publishInput("@corp/review-kit", "0.1.0", { keywords: ["code-review"], description: "Review helpers" }));
    const all = await store.listPackages();
    expect(all.map((p) => p.name)).toContain("@corp/review-kit");
    const kit = all.find((p) => p.name === "@corp/review-kit")!;
    expect(kit).toMatchObject({ version: "0.1.0", owners: ["alice"] });
    const byKeyword = await store.searchPackages({ text: "CODE-review", size: 20, from: 0 });
    expect(byKeyword.packages.map((p) => p.name)).toEqual(["@corp/review-kit"]);
    const everything = await store.searchPackages({ text: "", size: 2, from: 0 });
    expect(everything.total).toBe(all.length);
    expect(everything.packages).toHaveLength(2);
    expect((await store.searchPackages({ text: "%", size: 20, from: 0 })).total).toBe(0);
  });

  it("adds and removes owners but never the last one", async () => {
    await store.publishVersion(publishInput("eta", "1.0.0"));
    await store.addOwner("eta", "bob");
    await store.addOwner("eta", "bob");
    expect(await store.getOwners("eta")).toEqual(["alice", "bob"]);
    await store.removeOwner("eta", "alice");
    const error = await rejection(store.removeOwner("eta", "bob"));
    expect([error.code, error.details.reason]).toEqual(["E_CONFLICT", "last-owner"]);
    expect((await rejection(store.removeOwner("eta", "carol"))).code).toBe("E_NOT_FOUND");
    expect((await rejection(store.addOwner("no-such-package", "bob"))).code).toBe("E_NOT_FOUND");
  });

  it("refuses a non-owner's publish to an existing package (E_PERMISSION_DENIED not-owner) and writes nothing", async () => {
    await store.publishVersion(publishInput("theta", "1.0.0"));
    const error = await rejection(store.publishVersion(publishInput("theta", "1.1.0", { publisher: "mallory" })));
    expect([error.code, error.details.reason, error.details.package]).toEqual(["E_PERMISSION_DENIED", "not-owner", "theta"]);
    expect(error.hint).toMatch(/npm owner add/);
    expect(Object.keys((await store.getPackument("theta"))!.packument.versions)).toEqual(["1.0.0"]);
    expect(await store.getTarball("theta", "theta-1.1.0.tgz")).toBeUndefined();
    expect(await store.getOwners("theta")).toEqual(["alice"]);
    await store.publishVersion(publishInput("theta", "1.1.0", { publisher: "root", publisherIsAdmin: true }));
    await store.addOwner("theta", "bob");
    await store.publishVersion(publishInput("theta", "1.2.0", { publisher: "bob" }));
    expect(Object.keys((await store.getPackument("theta"))!.packument.versions).sort()).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
    expect(await store.getOwners("theta")).toEqual(["alice", "bob"]);
  });

  it("gives a new name raced by two users' first publishes to exactly one of them, with only that user's versions", async () => {
    for (let round = 0; round < 20; round++) {
      const name = `contested-${round}`;
      const attempts = [
        { publisher: "alice", version: "1.0.0" },
        { publisher: "bob", version: "2.0.0" },
        { publisher: "alice", version: "1.1.0" },
        { publisher: "bob", version: "2.1.0" },
      ];
      const results = await Promise.allSettled(attempts.map((a) => store.publishVersion(publishInput(name, a.version, { publisher: a.publisher, distTags: {} }))));
      const owners = await store.getOwners(name);
      expect(owners, `round ${round}`).toHaveLength(1);
      const owner = owners[0]!;
      const mine = attempts.filter((a) => a.publisher === owner).map((a) => a.version);
      expect(Object.keys((await store.getPackument(name))!.packument.versions).sort(), `round ${round}`).toEqual(mine);
      results.forEach((result, i) => {
        if (attempts[i]!.publisher === owner) expect(result.status).toBe("fulfilled");
        else expect(result.status === "rejected" && [(result.reason as AgentError).code, (result.reason as AgentError).details.reason]).toEqual(["E_PERMISSION_DENIED", "not-owner"]);
      });
    }
  });

  it("creates users once and stores tokens by hash", async () => {
    const user = { name: "dora", email: "dora@example.test", passwordHash: "scrypt$00$11", createdAt: new Date().toISOString() };
    await store.createUser(user);
    expect(await store.getUser("dora")).toEqual(user);
    const error = await rejection(store.createUser(user));
    expect([error.code, error.details.reason]).toEqual(["E_CONFLICT", "user-exists"]);
    const hash = createHash("sha256").update("raw-token").digest("hex");
    const token = { hash, user: "dora", scope: "publish" as const, createdAt: new Date().toISOString(), prefix: "raw-" };
    await store.createToken(token);
    expect(await store.findToken(hash)).toEqual(token);
    expect(await store.listTokens("dora")).toEqual([token]);
    expect(await store.revokeToken(hash)).toBe(true);
    expect(await store.revokeToken(hash)).toBe(false);
    expect(await store.findToken(hash)).toBeUndefined();
  });

  it("appends audit entries and lists the newest ones oldest first", async () => {
    for (const version of ["1", "2", "3"]) await store.appendAudit({ at: new Date().toISOString(), actor: "alice", action: "publish", package: "audited", version, detail: { n: version } });
    await store.appendAudit({ at: new Date().toISOString(), actor: "alice", action: "token.create" });
    expect((await store.listAudit({ package: "audited" })).map((e) => e.version)).toEqual(["1", "2", "3"]);
    expect((await store.listAudit({ package: "audited", limit: 2 })).map((e) => e.version)).toEqual(["2", "3"]);
    expect((await store.listAudit()).at(-1)).toMatchObject({ action: "token.create", actor: "alice" });
  });
});

describe("PostgreSQL storage", () => {
  it("migrates once when several processes open a fresh database at the same time", async () => {
    const url = await cluster.createDatabase("migrate_race");
    const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresStorage(url)));
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = (await client.query("SELECT id FROM schema_migrations ORDER BY id")).rows;
    await client.end();
    expect(rows).toEqual([{ id: 1 }]);
    const reopened = await openPostgresStorage(url);
    expect(await reopened.listPackages()).toEqual([]);
    await reopened.close();
  });

  it("lets exactly one publish win when two stores (two server processes) race on one database", async () => {
    const url = await cluster.createDatabase("two_pools");
    const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
    const results = await Promise.allSettled([a.publishVersion(publishInput("raced", "1.0.0")), b.publishVersion(publishInput("raced", "1.0.0"))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(Object.keys((await b.getPackument("raced"))!.packument.versions)).toEqual(["1.0.0"]);
    expect(await a.getOwners("raced")).toEqual(["alice"]);
    await Promise.all([a.close(), b.close()]);
  });

  it("gives a new name raced by two users through two stores (two server processes) to exactly one of them", async () => {
    const url = await cluster.createDatabase("two_pools_owners");
    const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
    for (let round = 0; round < 20; round++) {
      const name = `split-${round}`;
      const results = await Promise.allSettled([
        a.publishVersion(publishInput(name, "1.0.0", { publisher: "alice" })),
        b.publishVersion(publishInput(name, "2.0.0", { publisher: "bob" })),
      ]);
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(["fulfilled", "rejected"]);
      const owners = await a.getOwners(name);
      expect(owners).toEqual([results[0]!.status === "fulfilled" ? "alice" : "bob"]);
      expect(Object.keys((await b.getPackument(name))!.packument.versions)).toEqual([owners[0] === "alice" ? "1.0.0" : "2.0.0"]);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
      expect((refused.reason as AgentError).details.reason).toBe("not-owner");
    }
    await Promise.all([a.close(), b.close()]);
  });

  it("keeps the audit log append-only in the database itself", async () => {
    const url = await cluster.createDatabase("append_only");
    const store = await openPostgresStorage(url);
    await store.appendAudit({ at: new Date().toISOString(), actor: "alice", action: "publish", package: "p" });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await expect(client.query("DELETE FROM audit")).rejects.toThrow(/append-only/);
    await client.end();
    expect(await store.listAudit()).toHaveLength(1);
    await store.close();
  });

  it("fails to open with E_REGISTRY and a hint when the database is unreachable", async () => {
    const error = await rejection(openPostgresStorage("postgres://nobody:secret@127.0.0.1:1/none"));
    expect(error.code).toBe("E_REGISTRY");
    expect(error.message).not.toContain("secret");
    expect(error.hint).toMatch(/PostgreSQL/);
  });
});
