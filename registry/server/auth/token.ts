import { createHash, randomBytes } from "node:crypto";
import type { Storage, TokenRecord, TokenScope } from "../storage/storage.js";

/** Raw tokens are 32 random bytes (base64url, "agr_" prefix); the store keeps only their sha256. */
export function newRawToken(): string {
  return `agr_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}

export function scopeAllows(granted: TokenScope, needed: TokenScope): boolean {
  const rank: Record<TokenScope, number> = { read: 0, publish: 1, admin: 2 };
  return rank[granted] >= rank[needed];
}

/** Mints a token for user (recorded hashed) and returns the raw token, shown once. */
export async function mintToken(storage: Storage, user: string, scope: TokenScope, label?: string, raw = newRawToken()): Promise<{ token: string; record: TokenRecord }> {
  const record: TokenRecord = { hash: hashToken(raw), user, scope, createdAt: new Date().toISOString(), prefix: raw.slice(0, 10), ...(label ? { label } : {}) };
  await storage.createToken(record);
  return { token: raw, record };
}
