import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join, relative } from "node:path";
import type { PackFile } from "./pack-tarball.js";

export interface CollectOptions {
  /** names skipped at any depth */
  skipNames?: ReadonlySet<string>;
  /** absolute paths skipped */
  exclude?: ReadonlySet<string>;
  /** keep symlinks as links (bundles) instead of listing them in `skipped` (npm packages) */
  keepLinks?: boolean;
}

/** Every regular file under `root` (and symlinks, when kept), in sorted order, ready for packTarball. */
export async function collectFiles(root: string, options: CollectOptions = {}): Promise<{ files: PackFile[]; skipped: string[] }> {
  const files: PackFile[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const abs = join(dir, name);
      if (options.skipNames?.has(name) || options.exclude?.has(abs)) continue;
      const info = await lstat(abs);
      const path = relative(root, abs).split("\\").join("/");
      if (info.isDirectory()) await walk(abs);
      else if (info.isFile()) files.push({ path, data: await readFile(abs), executable: (info.mode & 0o111) !== 0 });
      else if (info.isSymbolicLink() && options.keepLinks) files.push({ path, data: Buffer.alloc(0), executable: false, linkpath: await readlink(abs) });
      else skipped.push(path);
    }
  };
  await walk(root);
  return { files, skipped };
}
