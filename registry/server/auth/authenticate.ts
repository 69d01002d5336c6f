import type { MiddlewareHandler } from "hono";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { hashToken } from "./token.js";

/**
 * Reads `Authorization: Bearer <token>` into c.get("auth"). A wrong token is 401 with the same message
 * whatever was wrong; an address with too many recent failures gets 429 before the token is looked at.
 */
export function authenticate(): MiddlewareHandler<RegistryEnv> {
  return async (c, next) => {
    const { storage, limiter } = c.get("deps");
    const header = c.req.header("authorization");
    c.set("auth", undefined);
    if (header) {
      const retryAfter = limiter.blocked(c.get("ip"));
      if (retryAfter !== undefined) {
        throw httpError(429, "E_AUTH", "Too many failed authentication attempts", `Wait ${retryAfter} s before trying again.`, { retryAfter });
      }
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const record = match ? await storage.findToken(hashToken(match[1]!)) : undefined;
      if (!record) {
        limiter.fail(c.get("ip"));
        throw httpError(401, "E_AUTH", "Invalid or revoked token", "Log in again (npm login --registry <url>) or ask an admin for a token.");
      }
      c.set("auth", record);
    }
    await next();
  };
}
