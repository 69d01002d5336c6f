import semver from "semver";
import type pg from "pg";
import { AgentError } from "../../../schemas/errors.js";
import { notOwner } from "./not-owner.js";
import { readPackument } from "./postgres-packuments.js";
import { pgJson, pgText } from "./postgres-text.js";
import { tombstoneViolation, uniqueViolation, withTransaction } from "./postgres-transaction.js";
import type { PublishInput, StoredPackument } from "./storage.js";

/**
 * Package writes. Each runs in one transaction that first takes the package row lock
 * (SELECT … FOR UPDATE), so writes to one package queue up in PostgreSQL whichever server process
 * sends them; the primary keys and the tombstone trigger are the last word on conflicts.
 *
 * A publish creates the package row (and its sole owner) or finds it; the packages primary key
 * makes a racing creator wait for the first one's commit and then find the row. A publisher that did
 * not create it must be an owner, checked under the row lock, so no owner change or first publish
 * can slip in between the check and the version insert.
 */

export async function publishVersion(pool: pg.Pool, input: PublishInput): Promise<StoredPackument> {
  try {
    return await withTransaction(pool, async (db) => {
      const created = await db.query(
        "INSERT INTO packages (name, created, modified) VALUES ($1, $2, $2) ON CONFLICT (name) DO NOTHING RETURNING name",
        [input.name, input.time],
      );
      if (created.rowCount === 1) await db.query("INSERT INTO owners (name, owner) VALUES ($1, $2)", [input.name, input.publisher]);
      await db.query("SELECT 1 FROM packages WHERE name = $1 FOR UPDATE", [input.name]);
      if (created.rowCount === 0 && !input.publisherIsAdmin) await requireOwner(db, input.name, input.publisher);
      const { deprecated, ...manifest } = input.manifest;
      await db.query(
        "INSERT INTO versions (name, version, manifest, deprecated, tarball_file, tarball, published) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [input.name, input.version, pgJson(manifest), pgText(deprecated) ?? null, input.tarballFile, Buffer.from(input.tarball), input.time],
      );
      for (const [tag, version] of Object.entries(input.distTags)) await upsertTag(db, input.name, tag, version);
      await db.query(
        `UPDATE packages SET
           description = COALESCE($2, description), readme = COALESCE($3, readme), keywords = COALESCE($4::jsonb, keywords),
           modified = $5, rev = rev + 1
         WHERE name = $1`,
        [input.name, pgText(input.description) ?? null, pgText(input.readme) ?? null, input.keywords ? pgJson(input.keywords) : null, input.time],
      );
      return (await readPackument(db, input.name))!;
    });
  } catch (error) {
    if (tombstoneViolation(error)) throw conflict(input.name, input.version, "tombstoned");
    const constraint = uniqueViolation(error);
    if (constraint) throw conflict(input.name, input.version, "version-exists");
    throw error;
  }
}

function conflict(name: string, version: string, reason: "tombstoned" | "version-exists"): AgentError {
  const message =
    reason === "tombstoned"
      ? `${name}@${version} was unpublished and can never be published again`
      : `${name}@${version} is already published; published versions are immutable`;
  return new AgentError("E_CONFLICT", message, {
    hint: "Bump the version in package.json and publish again.",
    details: { package: name, version, reason },
  });
}

async function upsertTag(db: pg.PoolClient, name: string, tag: string, version: string): Promise<void> {
  await db.query(
    "INSERT INTO dist_tags (name, tag, version) VALUES ($1, $2, $3) ON CONFLICT (name, tag) DO UPDATE SET version = EXCLUDED.version",
    [name, tag, version],
  );
}

/** Under the package row lock: E_PERMISSION_DENIED (not-owner) unless user owns the package. */
async function requireOwner(db: pg.PoolClient, name: string, user: string): Promise<void> {
  const found = await db.query("SELECT 1 FROM owners WHERE name = $1 AND owner = $2", [name, user]);
  if (found.rowCount === 0) throw notOwner(name, user);
}

/** Locks the package row; E_NOT_FOUND when there is no such package. */
async function lockPackage(db: pg.PoolClient, name: string): Promise<void> {
  const found = await db.query("SELECT 1 FROM packages WHERE name = $1 FOR UPDATE", [name]);
  if (found.rowCount === 0) throw notFound(`Package ${name} does not exist`, { package: name });
}

async function requireVersion(db: pg.PoolClient, name: string, version: string): Promise<void> {
  const found = await db.query("SELECT 1 FROM versions WHERE name = $1 AND version = $2", [name, version]);
  if (found.rowCount === 0) throw notFound(`${name}@${version} does not exist`, { package: name, version });
}

function notFound(message: string, details: Record<string, unknown>): AgentError {
  return new AgentError("E_NOT_FOUND", message, { hint: `Check the package name and version: npm view ${String(details.package)} versions`, details });
}

async function touch(db: pg.PoolClient, name: string): Promise<void> {
  await db.query("UPDATE packages SET modified = $2, rev = rev + 1 WHERE name = $1", [name, new Date().toISOString()]);
}

export function putDistTag(pool: pg.Pool, name: string, tag: string, version: string): Promise<void> {
  return withTransaction(pool, async (db) => {
    await lockPackage(db, name);
    await requireVersion(db, name, version);
    await upsertTag(db, name, tag, version);
    await touch(db, name);
  });
}

export function removeDistTag(pool: pg.Pool, name: string, tag: string): Promise<void> {
  return withTransaction(pool, async (db) => {
    await lockPackage(db, name);
    const removed = await db.query("DELETE FROM dist_tags WHERE name = $1 AND tag = $2", [name, tag]);
    if (removed.rowCount === 0) throw notFound(`Package ${name} has no dist-tag ${tag}`, { package: name, tag });
    await touch(db, name);
  });
}

export function setDeprecations(pool: pg.Pool, name: string, messages: Record<string, string>): Promise<void> {
  return withTransaction(pool, async (db) => {
    await lockPackage(db, name);
    for (const [version, message] of Object.entries(messages)) {
      await requireVersion(db, name, version);
      await db.query("UPDATE versions SET deprecated = $3 WHERE name = $1 AND version = $2", [name, version, message === "" ? null : pgText(message)]);
    }
    await touch(db, name);
  });
}

export function unpublishVersion(pool: pg.Pool, name: string, version: string): Promise<void> {
  return withTransaction(pool, async (db) => {
    await lockPackage(db, name);
    await requireVersion(db, name, version);
    const wasLatest = (await db.query("DELETE FROM dist_tags WHERE name = $1 AND version = $2 AND tag = 'latest'", [name, version])).rowCount === 1;
    await db.query("DELETE FROM dist_tags WHERE name = $1 AND version = $2", [name, version]);
    const gone = await db.query<{ published: string }>("DELETE FROM versions WHERE name = $1 AND version = $2 RETURNING published", [name, version]);
    const now = new Date().toISOString();
    await db.query("INSERT INTO tombstones (name, version, published, unpublished) VALUES ($1, $2, $3, $4)", [name, version, gone.rows[0]!.published, now]);
    if (wasLatest) await moveLatestToNewest(db, name);
    await touch(db, name);
  });
}

/** After the latest version is unpublished, `latest` points at the newest remaining version (if any). */
async function moveLatestToNewest(db: pg.PoolClient, name: string): Promise<void> {
  const remaining = (await db.query<{ version: string }>("SELECT version FROM versions WHERE name = $1", [name])).rows.map((r) => r.version);
  const newest = semver.rsort(remaining.filter((v) => semver.valid(v)))[0];
  if (newest) await upsertTag(db, name, "latest", newest);
}
