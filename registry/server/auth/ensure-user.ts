import type { Storage } from "../storage/storage.js";

/** Records a user that logs in with tokens only (no password can match "!"). */
export async function ensureUser(storage: Storage, name: string): Promise<void> {
  if (await storage.getUser(name)) return;
  await storage.createUser({ name, passwordHash: "!", createdAt: new Date().toISOString() }).catch((error: { details?: { reason?: string } }) => {
    if (error.details?.reason !== "user-exists") throw error;
  });
}
