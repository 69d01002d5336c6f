import { randomBytes } from "node:crypto";
import { close, fsync, link, mkdir, open, rm, writeFile } from "../../files/async-fs.js";
import { basename, dirname, join } from "node:path";
import { fsyncDir, writeFileAtomic as writeFileAtomicWithMode } from "../../files/write-file-atomic.js";

/** The registry's files are private to its server: 0600. Readers see the old file or the new one, never a torn one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return writeFileAtomicWithMode(path, data, 0o600);
}

/**
 * Creates path only if it does not exist; false when it already did. Durable before it returns. The
 * content is written and synced to a temp file first, then hard-linked to path (link fails when path
 * exists), so path never exists empty or cut short, even when the process dies midway; a temp file left
 * behind starts with "." and ends with ".tmp". On a filesystem without hard links it creates path with
 * O_EXCL and writes it in place.
 */
export async function createExclusive(path: string, data: string): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await writeSynced(temp, "wx", data);
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    return createInPlace(path, data);
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDir(dir);
  return true;
}

async function createInPlace(path: string, data: string): Promise<boolean> {
  try {
    await writeSynced(path, "wx", data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  await fsyncDir(dirname(path));
  return true;
}

async function writeSynced(path: string, flags: string, data: string): Promise<void> {
  const fd = await open(path, flags, 0o600);
  try {
    await writeFile(fd, data);
    await fsync(fd);
  } finally {
    await close(fd);
  }
}

/** Appends one line with O_APPEND and fsyncs it, so concurrent appenders never interleave a line. */
export async function appendLineDurable(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const fd = await open(path, "a", 0o600);
  try {
    await writeFile(fd, line.endsWith("\n") ? line : `${line}\n`);
    await fsync(fd);
  } finally {
    await close(fd);
  }
}
