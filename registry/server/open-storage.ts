import { AgentError } from "../../schemas/errors.js";
import { openFsStorage } from "./storage/fs-storage.js";
import type { OpenPostgresStorage, Storage } from "./storage/storage.js";

/** The embedded filesystem store under dataDir, or PostgreSQL for a postgres:// URL. */
export async function openStorage(options: { dataDir: string; database?: string | undefined }): Promise<Storage> {
  if (!options.database) return openFsStorage(options.dataDir);
  if (!/^postgres(ql)?:\/\//.test(options.database)) {
    throw new AgentError("E_USAGE", "--database takes a postgres:// URL", { hint: "e.g. --database postgres://user@localhost/registry", details: {} });
  }
  const { openPostgresStorage } = (await import("./storage/postgres-storage.js")) as { openPostgresStorage: OpenPostgresStorage };
  return openPostgresStorage(options.database);
}
