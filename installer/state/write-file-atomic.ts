import { writeFileAtomic } from "../../registry/files/write-file-atomic.js";

export { fsyncDir, writeFileAtomic, writeSyncedTemp } from "../../registry/files/write-file-atomic.js";

/** JSON with two-space indent and a trailing newline, as the files Claude Code writes. */
export function writeJsonAtomic(path: string, value: unknown, mode?: number): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n", mode);
}
