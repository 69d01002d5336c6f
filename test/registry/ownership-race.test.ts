import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureUser } from "../../registry/server/auth/ensure-user.js";
import { mintToken } from "../../registry/server/auth/token.js";
import { startRegistryServer, type RunningRegistry } from "../../registry/server/start-server.js";
import { openPostgresStorage } from "../../registry/server/storage/postgres-storage.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { pluginEntries, rawTarball } from "./raw-tarball.js";
import { publishBody, putJson, removeTemps, startTestRegistry, tempDir, type TestRegistry } from "./registry-fixture.js";

const rounds = 20;
const versionsOf = { alice: ["1.0.0", "1.1.0"], bob: ["2.0.0", "2.1.0"] } as const;
type User = keyof typeof versionsOf;

/** Where each user sends its publishes, with its own publish token. */
interface Contenders {
  put(user: User, name: string, body: unknown): Promise<Response>;
  packument(name: string): Promise<{ maintainers: { name: string }[]; versions: Record<string, { _npmUser?: { name: string } }> }>;
}

/**
 * Each round, alice and bob publish two versions each of one brand-new name, all four PUTs at once.
 * Whoever creates the package owns it alone; the other's publishes are refused with 403 not-owner,
 * whether the route's early check or the store's own check inside its write caught them.
 */
async function raceFirstPublishes(contenders: Contenders, prefix: string): Promise<Record<User, number>> {
  const wins: Record<User, number> = { alice: 0, bob: 0 };
  for (let round = 0; round < rounds; round++) {
    const name = `${prefix}-${round}`;
    const attempts = (Object.keys(versionsOf) as User[]).flatMap((user) => versionsOf[user].map((version) => ({ user, version })));
    const responses = await Promise.all(
      attempts.map(async ({ user, version }) => {
        const res = await contenders.put(user, name, publishBody(name, version, rawTarball(pluginEntries(name, version))));
        return { user, status: res.status, body: (await res.json()) as { code?: string; details?: { reason?: string } } };
      }),
    );
    const packument = await contenders.packument(name);
    expect(packument.maintainers).toHaveLength(1);
    const owner = packument.maintainers[0]!.name as User;
    const loser: User = owner === "alice" ? "bob" : "alice";
    wins[owner]++;
    expect(Object.keys(packument.versions).sort(), `round ${round}`).toEqual([...versionsOf[owner]]);
    for (const manifest of Object.values(packument.versions)) expect(manifest._npmUser?.name).toBe(owner);
    for (const r of responses.filter((r) => r.user === owner)) expect(r.status, `round ${round}: ${JSON.stringify(r.body)}`).toBe(201);
    for (const r of responses.filter((r) => r.user === loser)) {
      expect([r.status, r.body.code, r.body.details?.reason], `round ${round}`).toEqual([403, "E_PERMISSION_DENIED", "not-owner"]);
    }
  }
  expect(wins.alice + wins.bob).toBe(rounds);
  return wins;
}

describe("racing first publishes of one new package name by two users", () => {
  let registry: TestRegistry;
  let cluster: PostgresCluster | undefined;
  const servers: RunningRegistry[] = [];

  beforeAll(async () => {
    registry = await startTestRegistry();
  });
  afterAll(async () => {
    await registry?.close();
    await Promise.all(servers.map((s) => s.close()));
    await cluster?.stop();
    removeTemps();
  });

  it("on the filesystem store, every round leaves one owner and only that owner's versions", async () => {
    const tokens = { alice: await registry.token("alice", "publish"), bob: await registry.token("bob", "publish") };
    await raceFirstPublishes(
      {
        put: (user, name, body) => registry.request(`/${name}`, putJson(body, tokens[user])),
        packument: async (name) => (await registry.request(`/${name}`)).json() as never,
      },
      "contested",
    );
  });

  it("on PostgreSQL behind two servers (alice on one, bob on the other), every round leaves one owner", async () => {
    cluster = await startPostgres();
    const adminToken = "agent-test-admin-token-ownership-race";
    for (let i = 0; i < 2; i++) {
      servers.push(await startRegistryServer({ storage: await openPostgresStorage(cluster.url), port: 0, host: "127.0.0.1", adminToken }));
    }
    const storage = await openPostgresStorage(cluster.url);
    const tokens: Record<User, string> = { alice: "", bob: "" };
    try {
      for (const user of ["alice", "bob"] as const) {
        await ensureUser(storage, user);
        tokens[user] = (await mintToken(storage, user, "publish")).token;
      }
    } finally {
      await storage.close();
    }
    const serverOf: Record<User, RunningRegistry> = { alice: servers[0]!, bob: servers[1]! };
    await raceFirstPublishes(
      {
        put: (user, name, body) => {
          const init = putJson(body);
          return fetch(`${serverOf[user].url}/${name}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${tokens[user]}` }, signal: AbortSignal.timeout(30_000) });
        },
        packument: async (name) => (await fetch(`${servers[0]!.url}/${name}`, { signal: AbortSignal.timeout(30_000) })).json() as never,
      },
      "pg-contested",
    );
  });
});

describe("a first publish killed before its packument landed", () => {
  afterAll(() => removeTemps());

  it("leaves no ownership claim once the filesystem store reopens: the name is free for anyone", async () => {
    const dataDir = tempDir("agent-registry-data-");
    mkdirSync(join(dataDir, "packages", "orphan"), { recursive: true });
    writeFileSync(join(dataDir, "packages", "orphan", "owners.json"), JSON.stringify(["mallory"]));
    const registry = await startTestRegistry({ dataDir });
    try {
      const alice = await registry.token("alice", "publish");
      const res = await registry.request("/orphan", putJson(publishBody("orphan", "1.0.0", rawTarball(pluginEntries("orphan", "1.0.0"))), alice));
      expect(res.status).toBe(201);
      expect(((await (await registry.request("/orphan")).json()) as { maintainers: unknown }).maintainers).toEqual([{ name: "alice" }]);
    } finally {
      await registry.close();
    }
  });
});

describe("a publish killed while it created its version marker", () => {
  afterAll(() => removeTemps());

  it("an empty or cut-short marker (older versions) or a leftover temp file does not stop the filesystem store from reopening, and the versions can be published", async () => {
    const dataDir = tempDir("agent-registry-data-");
    const registry = await startTestRegistry({ dataDir });
    const alice = await registry.token("alice", "publish");
    expect((await registry.request("/marked", putJson(publishBody("marked", "1.0.0", rawTarball(pluginEntries("marked", "1.0.0"))), alice))).status).toBe(201);
    await registry.close();
    // what kill -9 between open(O_EXCL) and the write of the marker leaves
    writeFileSync(join(dataDir, "packages", "marked", "published", "1.1.0"), "");
    writeFileSync(join(dataDir, "packages", "marked", "published", "1.2.0"), '{"tarballFi');
    // what kill -9 between writing a marker's temp file and linking it leaves: it must not be taken for a marker
    writeFileSync(join(dataDir, "packages", "marked", "published", ".1.3.0.999.0badc0de.tmp"), JSON.stringify({ tarballFile: "marked-1.0.0.tgz" }));
    const reopened = await startTestRegistry({ dataDir });
    try {
      const token = await reopened.token("alice", "publish");
      for (const version of ["1.1.0", "1.2.0"]) {
        const res = await reopened.request("/marked", putJson(publishBody("marked", version, rawTarball(pluginEntries("marked", version))), token));
        expect(res.status).toBe(201);
      }
      const packument = (await (await reopened.request("/marked")).json()) as { versions: Record<string, unknown> };
      expect(Object.keys(packument.versions).sort()).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
      expect((await reopened.request("/marked/-/marked-1.0.0.tgz")).status).toBe(200);
      expect(readdirSync(join(dataDir, "packages", "marked", "published")).sort()).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
    } finally {
      await reopened.close();
    }
  });
});
