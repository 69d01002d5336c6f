import type { Context } from "hono";
import type { RegistryEnv } from "./context.js";
import type { AuditEntry } from "./storage/storage.js";

/** Appends one write to the audit log with the acting user and client address. */
export function audit(c: Context<RegistryEnv>, actor: string, entry: Omit<AuditEntry, "at" | "actor" | "ip">): Promise<void> {
  return c.get("deps").storage.appendAudit({ at: new Date().toISOString(), actor, ip: c.get("ip"), ...entry });
}
