import type { Context } from "hono";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { notOwner } from "../storage/not-owner.js";
import type { TokenRecord, TokenScope } from "../storage/storage.js";
import { scopeAllows } from "./token.js";

/** The request's token, which must grant at least `scope`: 401 without a token, 403 with a weaker one. */
export function requireScope(c: Context<RegistryEnv>, scope: TokenScope): TokenRecord {
  const auth = c.get("auth");
  if (!auth) throw httpError(401, "E_AUTH", "Authentication required", "Log in with `npm login --registry <url>` or set a token in .npmrc.");
  if (!scopeAllows(auth.scope, scope)) {
    throw httpError(403, "E_PERMISSION_DENIED", `This token has ${auth.scope} scope; the request needs ${scope}`, "Ask an admin for a token with the needed scope.");
  }
  return auth;
}

/** In private mode every read needs a token of any scope. */
export function requireRead(c: Context<RegistryEnv>): void {
  if (c.get("deps").private) requireScope(c, "read");
}

/**
 * Changing an existing package needs publish scope and ownership, or admin scope. For publishes this
 * is the early, clear refusal; the store checks ownership again inside its write.
 */
export async function requireOwner(c: Context<RegistryEnv>, name: string): Promise<TokenRecord> {
  const auth = requireScope(c, "publish");
  if (auth.scope === "admin") return auth;
  const owners = await c.get("deps").storage.getOwners(name);
  if (!owners.includes(auth.user)) throw notOwner(name, auth.user);
  return auth;
}
