import type pg from "pg";

/**
 * The registry schema, one numbered step at a time. A step never changes once released; new
 * columns or tables are new steps. Every table is written only inside transactions; the
 * constraints (primary keys, the unique tarball file, foreign keys) are what keep concurrent
 * server processes correct.
 */
export const migrations: { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: "packages, versions, tags, tombstones, owners, users, tokens, audit",
    sql: `
      CREATE TABLE packages (
        name text PRIMARY KEY,
        description text,
        readme text,
        keywords jsonb,
        extra jsonb NOT NULL DEFAULT '{}'::jsonb,
        created text NOT NULL,
        modified text NOT NULL,
        rev bigint NOT NULL DEFAULT 1
      );
      CREATE TABLE versions (
        seq bigserial UNIQUE,
        name text NOT NULL REFERENCES packages(name),
        version text NOT NULL,
        manifest json NOT NULL,
        deprecated text,
        tarball_file text NOT NULL,
        tarball bytea NOT NULL,
        published text NOT NULL,
        PRIMARY KEY (name, version),
        UNIQUE (name, tarball_file)
      );
      CREATE TABLE tombstones (
        name text NOT NULL REFERENCES packages(name),
        version text NOT NULL,
        published text NOT NULL,
        unpublished text NOT NULL,
        PRIMARY KEY (name, version)
      );
      CREATE TABLE dist_tags (
        name text NOT NULL,
        tag text NOT NULL,
        version text NOT NULL,
        PRIMARY KEY (name, tag),
        FOREIGN KEY (name, version) REFERENCES versions(name, version)
      );
      CREATE TABLE owners (
        name text NOT NULL REFERENCES packages(name),
        owner text NOT NULL,
        seq bigserial,
        PRIMARY KEY (name, owner)
      );
      CREATE TABLE users (
        name text PRIMARY KEY,
        email text,
        password_hash text NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE tokens (
        hash text PRIMARY KEY,
        owner text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('read', 'publish', 'admin')),
        created_at text NOT NULL,
        prefix text NOT NULL,
        label text,
        seq bigserial
      );
      CREATE INDEX tokens_owner ON tokens(owner);
      CREATE TABLE audit (
        id bigserial PRIMARY KEY,
        at text NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        package text,
        version text,
        ip text,
        detail jsonb
      );
      CREATE INDEX audit_package ON audit(package, id);
      CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
      CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE FUNCTION versions_not_tombstoned() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM tombstones WHERE name = NEW.name AND version = NEW.version) THEN
            RAISE EXCEPTION 'version % of % was unpublished and can never be published again', NEW.version, NEW.name
              USING ERRCODE = 'P0001', HINT = 'tombstoned';
          END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER versions_not_tombstoned BEFORE INSERT ON versions
        FOR EACH ROW EXECUTE FUNCTION versions_not_tombstoned();
    `,
  },
];

/** Arbitrary fixed key of the session-level advisory lock that serializes migrations across processes. */
const migrationLockKey = 0x61676e74_72656731n; // "agntreg1"

/**
 * Brings the schema up to date. Safe when several processes start at once: all of them queue on one
 * advisory lock, and each step runs in its own transaction together with its row in
 * schema_migrations, so a step is applied exactly once.
 */
export async function runMigrations(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey.toString()]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set((await client.query<{ id: number }>("SELECT id FROM schema_migrations")).rows.map((r) => r.id));
      for (const step of migrations) {
        if (done.has(step.id)) continue;
        await client.query("BEGIN");
        try {
          await client.query(step.sql);
          await client.query("INSERT INTO schema_migrations (id, name) VALUES ($1, $2)", [step.id, step.name]);
          await client.query("COMMIT");
          applied.push(step.id);
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey.toString()]);
    }
  } finally {
    client.release();
  }
  return applied;
}
