import { close, fsync, mkdir, open, rename, rm, writeFile } from "./async-fs.js";
import { uniqueSuffix } from "./unique-name.js";
import { dirname, basename, join } from "node:path";

/**
 * File writes every layer that keeps state relies on (install state, the registry's embedded store).
 *
 * Writes a file so that readers see either the old content or the new one, never a torn file,
 * even if the process dies at any instant: write a temp file beside it, fsync, rename, fsync the dir.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, options: { syncDir?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${uniqueSuffix()}.tmp`);
  try {
    const fd = await open(temp, "w", mode);
    try {
      await writeFile(fd, data);
      await fsync(fd);
    } finally {
      await close(fd);
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // a caller renaming several files into the same dirs syncs each dir once, after all of them
  if (options.syncDir !== false) await fsyncDir(dir);
}

export async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, "r");
  try {
    await fsync(fd);
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  } finally {
    await close(fd);
  }
}
