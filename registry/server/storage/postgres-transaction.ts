import type pg from "pg";

export type Queryable = Pick<pg.PoolClient, "query">;

/** Runs work in one READ COMMITTED transaction on its own connection; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The constraint a failed statement broke, when it was a unique/primary-key violation. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string };
  return e?.code === "23505" ? (e.constraint ?? "unique") : undefined;
}

/** True when the versions_not_tombstoned trigger refused the insert. */
export function tombstoneViolation(error: unknown): boolean {
  const e = error as { code?: string; hint?: string };
  return e?.code === "P0001" && e.hint === "tombstoned";
}
