import type { Context } from "hono";
import type { RegistryEnv } from "./context.js";

/** The URL clients reach this registry at, without a trailing slash. */
export function baseUrlOf(c: Context<RegistryEnv>): string {
  return (c.get("deps").publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
}
