import { createHash, type Hash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Names that live inside a cache dir but are not plugin content (Claude Code's markers). */
const markerNames = new Set([".orphaned_at", ".in_use"]);

/**
 * sha512 SRI over a directory tree: every entry in sorted path order as `type path mode size` plus its
 * bytes (or a symlink's target). Equal trees give equal strings on any machine. The entries of one
 * tree is read concurrently, then hashed in order.
 */
export async function treeIntegrity(root: string): Promise<string> {
  const hash = createHash("sha512");
  feed(await readDir(root, ""), hash);
  return `sha512-${hash.digest("base64")}`;
}

type Entry =
  | { kind: "l"; path: string; target: string }
  | { kind: "d"; path: string; children: Entry[] }
  | { kind: "f"; path: string; exec: boolean; data: Buffer }
  | undefined;

/** Reads a whole subtree concurrently (entries in sorted order); hashing happens after, in order. */
async function read(root: string, path: string): Promise<Entry> {
  const abs = join(root, path);
  const info = await lstat(abs);
  if (info.isSymbolicLink()) return { kind: "l", path, target: await readlink(abs) };
  if (info.isDirectory()) return { kind: "d", path, children: await readDir(root, path) };
  if (info.isFile()) return { kind: "f", path, exec: (info.mode & 0o111) !== 0, data: await readFile(abs) };
  return undefined;
}

async function readDir(root: string, rel: string): Promise<Entry[]> {
  const names = (await readdir(join(root, rel))).filter((n) => rel !== "" || !markerNames.has(n)).sort();
  return Promise.all(names.map((name) => read(root, rel ? `${rel}/${name}` : name)));
}

function feed(entries: Entry[], hash: Hash): void {
  for (const entry of entries) {
    if (entry?.kind === "l") hash.update(`l\0${entry.path}\0${entry.target}\0`);
    else if (entry?.kind === "d") {
      hash.update(`d\0${entry.path}\0`);
      feed(entry.children, hash);
    } else if (entry?.kind === "f") {
      hash.update(`f\0${entry.path}\0${entry.exec ? "x" : "-"}\0${entry.data.length}\0`);
      hash.update(entry.data);
    }
  }
}
