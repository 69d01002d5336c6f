import type { Hash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Names that live inside a cache dir but are not plugin content (Claude Code's markers). */
const markerNames = new Set([".orphaned_at", ".in_use"]);

/**
 * sha512 SRI over a directory tree: every entry in sorted path order as `type path mode size` plus its
 * bytes (or a symlink's target). Equal trees give equal strings on any machine. The tree is read with
 * synchronous calls, one file at a time: a plugin is mostly small files, in the page cache when this
 * runs (they were just written), and a read through the thread pool cost a round trip worth more than
 * the read itself — a plugin of a few dozen files hashes three times faster.
 */
export async function treeIntegrity(root: string): Promise<string> {
  // loaded on first use, not with this module: node:crypto brings Node's stream modules (~8 ms), and an
  // install loads it while its other plugins are still being copied on the thread pool
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha512");
  feed(root, "", hash);
  return `sha512-${hash.digest("base64")}`;
}

function feed(root: string, rel: string, hash: Hash): void {
  const names = readdirSync(join(root, rel)).filter((n) => rel !== "" || !markerNames.has(n)).sort();
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const abs = join(root, path);
    const info = lstatSync(abs);
    if (info.isSymbolicLink()) hash.update(`l\0${path}\0${readlinkSync(abs)}\0`);
    else if (info.isDirectory()) {
      hash.update(`d\0${path}\0`);
      feed(root, path, hash);
    } else if (info.isFile()) {
      const data = readFileSync(abs);
      hash.update(`f\0${path}\0${(info.mode & 0o111) !== 0 ? "x" : "-"}\0${data.length}\0`);
      hash.update(data);
    }
  }
}
