import type pg from "pg";
import { AgentError } from "../../../schemas/errors.js";
import { pgJson, pgText } from "./postgres-text.js";
import { uniqueViolation, withTransaction } from "./postgres-transaction.js";
import type { AuditEntry, AuditQuery, TokenRecord, TokenScope, UserRecord } from "./storage.js";

/** Owners, users, hashed tokens and the append-only audit log in PostgreSQL. */

export async function getOwners(pool: pg.Pool, name: string): Promise<string[]> {
  return (await pool.query<{ owner: string }>("SELECT owner FROM owners WHERE name = $1 ORDER BY seq", [name])).rows.map((r) => r.owner);
}

export function addOwner(pool: pg.Pool, name: string, user: string): Promise<void> {
  return withTransaction(pool, async (db) => {
    const found = await db.query("SELECT 1 FROM packages WHERE name = $1 FOR UPDATE", [name]);
    if (found.rowCount === 0) throw new AgentError("E_NOT_FOUND", `Package ${name} does not exist`, { hint: "Publish the package before adding owners.", details: { package: name } });
    await db.query("INSERT INTO owners (name, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING", [name, user]);
  });
}

export function removeOwner(pool: pg.Pool, name: string, user: string): Promise<void> {
  return withTransaction(pool, async (db) => {
    const found = await db.query("SELECT 1 FROM packages WHERE name = $1 FOR UPDATE", [name]);
    if (found.rowCount === 0) throw new AgentError("E_NOT_FOUND", `Package ${name} does not exist`, { hint: "Check the package name: npm owner ls <name>", details: { package: name } });
    const owners = (await db.query<{ owner: string }>("SELECT owner FROM owners WHERE name = $1", [name])).rows.map((r) => r.owner);
    if (!owners.includes(user)) throw new AgentError("E_NOT_FOUND", `${user} is not an owner of ${name}`, { hint: `List the owners: npm owner ls ${name}`, details: { package: name, user } });
    if (owners.length === 1)
      throw new AgentError("E_CONFLICT", `${user} is the last owner of ${name}`, { hint: `Add another owner first: npm owner add <user> ${name}`, details: { package: name, user, reason: "last-owner" } });
    await db.query("DELETE FROM owners WHERE name = $1 AND owner = $2", [name, user]);
  });
}

export async function createUser(pool: pg.Pool, user: UserRecord): Promise<void> {
  try {
    await pool.query("INSERT INTO users (name, email, password_hash, created_at) VALUES ($1, $2, $3, $4)", [user.name, pgText(user.email) ?? null, user.passwordHash, user.createdAt]);
  } catch (error) {
    if (uniqueViolation(error))
      throw new AgentError("E_CONFLICT", `User ${user.name} already exists`, { hint: "Log in instead: npm login --registry <url>", details: { user: user.name, reason: "user-exists" } });
    throw error;
  }
}

export async function getUser(pool: pg.Pool, name: string): Promise<UserRecord | undefined> {
  const row = (await pool.query<{ name: string; email: string | null; password_hash: string; created_at: string }>("SELECT name, email, password_hash, created_at FROM users WHERE name = $1", [name])).rows[0];
  if (!row) return undefined;
  return { name: row.name, ...(row.email !== null ? { email: row.email } : {}), passwordHash: row.password_hash, createdAt: row.created_at };
}

interface TokenRow {
  hash: string;
  owner: string;
  scope: TokenScope;
  created_at: string;
  prefix: string;
  label: string | null;
}

const tokenColumns = "hash, owner, scope, created_at, prefix, label";

function tokenOf(row: TokenRow): TokenRecord {
  return { hash: row.hash, user: row.owner, scope: row.scope, createdAt: row.created_at, prefix: row.prefix, ...(row.label !== null ? { label: row.label } : {}) };
}

export async function createToken(pool: pg.Pool, token: TokenRecord): Promise<void> {
  // the same hash is the same secret: a second server seeding it at start-up simply rewrites the record
  await pool.query(
    `INSERT INTO tokens (${tokenColumns}) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (hash) DO UPDATE SET owner = EXCLUDED.owner, scope = EXCLUDED.scope, created_at = EXCLUDED.created_at, prefix = EXCLUDED.prefix, label = EXCLUDED.label`,
    [token.hash, token.user, token.scope, token.createdAt, token.prefix, pgText(token.label) ?? null],
  );
}

export async function findToken(pool: pg.Pool, hash: string): Promise<TokenRecord | undefined> {
  const row = (await pool.query<TokenRow>(`SELECT ${tokenColumns} FROM tokens WHERE hash = $1`, [hash])).rows[0];
  return row ? tokenOf(row) : undefined;
}

export async function revokeToken(pool: pg.Pool, hash: string): Promise<boolean> {
  return ((await pool.query("DELETE FROM tokens WHERE hash = $1", [hash])).rowCount ?? 0) > 0;
}

export async function listTokens(pool: pg.Pool, user?: string): Promise<TokenRecord[]> {
  const rows = user === undefined
    ? (await pool.query<TokenRow>(`SELECT ${tokenColumns} FROM tokens ORDER BY created_at, seq`)).rows
    : (await pool.query<TokenRow>(`SELECT ${tokenColumns} FROM tokens WHERE owner = $1 ORDER BY created_at, seq`, [user])).rows;
  return rows.map(tokenOf);
}

export async function appendAudit(pool: pg.Pool, entry: AuditEntry): Promise<void> {
  await pool.query("INSERT INTO audit (at, actor, action, package, version, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
    entry.at,
    entry.actor,
    entry.action,
    entry.package ?? null,
    entry.version ?? null,
    entry.ip ?? null,
    entry.detail === undefined ? null : pgJson(entry.detail),
  ]);
}

export async function listAudit(pool: pg.Pool, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const where = query.package === undefined ? "" : `WHERE package = $${params.push(query.package)}`;
  const limit = query.limit === undefined ? "" : ` LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}`;
  const rows = (
    await pool.query<{ at: string; actor: string; action: AuditEntry["action"]; package: string | null; version: string | null; ip: string | null; detail: Record<string, unknown> | null }>(
      `SELECT * FROM (SELECT id, at, actor, action, package, version, ip, detail FROM audit ${where} ORDER BY id DESC${limit}) newest ORDER BY id`,
      params,
    )
  ).rows;
  return rows.map((r) => ({
    at: r.at,
    actor: r.actor,
    action: r.action,
    ...(r.package !== null ? { package: r.package } : {}),
    ...(r.version !== null ? { version: r.version } : {}),
    ...(r.ip !== null ? { ip: r.ip } : {}),
    ...(r.detail !== null ? { detail: r.detail } : {}),
  }));
}
