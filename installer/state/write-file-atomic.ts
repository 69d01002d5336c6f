import { writeFileAtomicSync } from "../../registry/files/write-file-atomic.js";

// The installer runs in a CLI process, which waits for its state to be written anyway: its writes sync in
// the calling thread (writeFileAtomicSync), so an install never starts the thread pool just to fsync.
export { fsyncDirSync, sweepDeadTemps, writeFileAtomicSync, writeSyncedTempSync } from "../../registry/files/write-file-atomic.js";

/** JSON with two-space indent and a trailing newline, as the files Claude Code writes. */
export async function writeJsonAtomic(path: string, value: unknown, mode?: number): Promise<void> {
  writeFileAtomicSync(path, JSON.stringify(value, null, 2) + "\n", mode);
}
