import { createSha512, type Sha512Hash } from "./sha512.js";

/** Names that live inside a cache dir but are not plugin content (Claude Code's markers). */
const cacheMarkerNames: ReadonlySet<string> = new Set([".orphaned_at", ".in_use"]);

/**
 * The sha512 SRI of a directory tree, fed one entry at a time: each as `type path mode size` plus its
 * bytes (a file) or its target (a symlink). Equal trees give equal strings on any machine when every
 * feeder walks alike: a directory's names in JavaScript's string order (`[...names].sort()`), each
 * directory's entries right after it, paths relative to the root with `/`. The cache markers at the
 * root, and what is inside them, are left out here. installer/cache/tree-integrity.ts hashes a tree on
 * disk so; copyPluginTree hashes what it copies so.
 *
 * The hash is sha512.ts's, not node:crypto's: loading node:crypto costs a command more than hashing a
 * plugin does.
 */
export class TreeHash {
  private readonly hash: Sha512Hash;

  private constructor(hash: Sha512Hash) {
    this.hash = hash;
  }

  static async create(): Promise<TreeHash> {
    return new TreeHash(await createSha512());
  }

  dir(path: string): void {
    if (counted(path)) this.hash.update(`d\0${path}\0`);
  }

  link(path: string, target: string): void {
    if (counted(path)) this.hash.update(`l\0${path}\0${target}\0`);
  }

  /** A file: its header, then its `size` bytes through `bytes` (which is told the same path). */
  file(path: string, executable: boolean, size: number): void {
    if (counted(path)) this.hash.update(`f\0${path}\0${executable ? "x" : "-"}\0${size}\0`);
  }

  bytes(path: string, data: Uint8Array): void {
    if (counted(path)) this.hash.update(data);
  }

  digest(): string {
    return `sha512-${this.hash.digest("base64")}`;
  }
}

function counted(path: string): boolean {
  const slash = path.indexOf("/");
  return !cacheMarkerNames.has(slash < 0 ? path : path.slice(0, slash));
}
