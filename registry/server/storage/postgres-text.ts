/**
 * PostgreSQL text and jsonb cannot hold U+0000, which JSON bodies can carry ("\u0000"). Author-written
 * strings are stored with it replaced by U+FFFD, so such a publish is stored instead of failing.
 */
export function pgText<T extends string | null | undefined>(value: T): T {
  return (typeof value === "string" ? value.replace(/\0/g, "\uFFFD") : value) as T;
}

/** JSON text for a json/jsonb parameter, with U+0000 in every string replaced. */
export function pgJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? pgText(v) : v));
}
