import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { fsyncDir, writeFileAtomic as writeFileAtomicWithMode } from "../../files/write-file-atomic.js";

/** The registry's files are private to its server: 0600. Readers see the old file or the new one, never a torn one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return writeFileAtomicWithMode(path, data, 0o600);
}

/** Creates path only if it does not exist; false when it already did. Durable before it returns. */
export async function createExclusive(path: string, data: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  let handle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(dirname(path));
  return true;
}

/** Appends one line with O_APPEND and fsyncs it, so concurrent appenders never interleave a line. */
export async function appendLineDurable(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "a", 0o600);
  try {
    await handle.write(line.endsWith("\n") ? line : `${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
