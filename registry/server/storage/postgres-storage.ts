import pg from "pg";
import { AgentError, redact } from "../../../schemas/errors.js";
import * as accounts from "./postgres-accounts.js";
import { runMigrations } from "./postgres-migrations.js";
import * as writes from "./postgres-package-writes.js";
import { searchSummaries } from "./package-summary.js";
import { readPackument, readSummaries } from "./postgres-packuments.js";
import type { Storage } from "./storage.js";

/**
 * Registry storage in PostgreSQL: metadata and tarballs (bytea) in one database, so several server
 * processes behind a load balancer share one store. Opening it runs the schema migrations (once,
 * under an advisory lock); every write is one transaction guarded by row locks and constraints.
 */
export async function openPostgresStorage(url: string): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, statement_timeout: 30_000, application_name: "agent-registry" });
  pool.on("error", () => undefined); // an idle client lost its connection; the next query reconnects
  try {
    await runMigrations(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AgentError("E_REGISTRY", `Could not open the registry database ${redact(url)}: ${(error as Error).message}`, {
      hint: "Check that PostgreSQL is running and the --database URL (user, password, host, port, database) is right.",
      details: { url: redact(url) },
      cause: error,
    });
  }
  return {
    kind: "postgres",
    getPackument: (name) => readPackument(pool, name),
    async getTarball(name, tarballFile) {
      const row = (await pool.query<{ tarball: Buffer }>("SELECT tarball FROM versions WHERE name = $1 AND tarball_file = $2", [name, tarballFile])).rows[0];
      return row ? new Uint8Array(row.tarball.buffer, row.tarball.byteOffset, row.tarball.byteLength) : undefined;
    },
    publishVersion: (input) => writes.publishVersion(pool, input),
    putDistTag: (name, tag, version) => writes.putDistTag(pool, name, tag, version),
    removeDistTag: (name, tag) => writes.removeDistTag(pool, name, tag),
    setDeprecations: (name, messages) => writes.setDeprecations(pool, name, messages),
    unpublishVersion: (name, version) => writes.unpublishVersion(pool, name, version),
    async listTombstones(name) {
      return (await pool.query<{ version: string }>("SELECT version FROM tombstones WHERE name = $1 ORDER BY version COLLATE \"C\"", [name])).rows.map((r) => r.version);
    },
    listPackages: () => readSummaries(pool),
    async searchPackages(query) {
      return searchSummaries(await readSummaries(pool), query);
    },
    getOwners: (name) => accounts.getOwners(pool, name),
    addOwner: (name, user) => accounts.addOwner(pool, name, user),
    removeOwner: (name, user) => accounts.removeOwner(pool, name, user),
    createUser: (user) => accounts.createUser(pool, user),
    getUser: (name) => accounts.getUser(pool, name),
    createToken: (token) => accounts.createToken(pool, token),
    findToken: (hash) => accounts.findToken(pool, hash),
    revokeToken: (hash) => accounts.revokeToken(pool, hash),
    listTokens: (user) => accounts.listTokens(pool, user),
    appendAudit: (entry) => accounts.appendAudit(pool, entry),
    listAudit: (query) => accounts.listAudit(pool, query),
    close: () => pool.end(),
  };
}
