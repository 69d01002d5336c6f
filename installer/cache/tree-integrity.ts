import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Names that live inside a cache dir but are not plugin content (Claude Code's markers). */
const markerNames = new Set([".orphaned_at", ".in_use"]);

/**
 * sha512 SRI over a directory tree: every entry in sorted path order as `type path mode size` plus its
 * bytes (or a symlink's target). Equal trees give equal strings on any machine.
 */
export async function treeIntegrity(root: string): Promise<string> {
  const hash = createHash("sha512");
  await walk(root, "", hash);
  return `sha512-${hash.digest("base64")}`;
}

async function walk(root: string, rel: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const names = (await readdir(join(root, rel))).filter((n) => rel !== "" || !markerNames.has(n)).sort();
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const abs = join(root, path);
    const info = await lstat(abs);
    if (info.isSymbolicLink()) {
      hash.update(`l\0${path}\0${await readlink(abs)}\0`);
    } else if (info.isDirectory()) {
      hash.update(`d\0${path}\0`);
      await walk(root, path, hash);
    } else if (info.isFile()) {
      const data = await readFile(abs);
      hash.update(`f\0${path}\0${info.mode & 0o111 ? "x" : "-"}\0${data.length}\0`);
      hash.update(data);
    }
  }
}
