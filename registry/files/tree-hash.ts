import type { Hash } from "node:crypto";

/** Names that live inside a cache dir but are not plugin content (Claude Code's markers): never hashed at a tree's root. */
export const cacheMarkerNames: ReadonlySet<string> = new Set([".orphaned_at", ".in_use"]);

/**
 * The sha512 SRI of a directory tree, fed one entry at a time: each as `type path mode size` plus its
 * bytes (a file) or its target (a symlink). Equal trees give equal strings on any machine when every
 * feeder walks alike: a directory's names in JavaScript's string order (`[...names].sort()`), each
 * directory's entries right after it, paths relative to the root with `/`, the root's cache markers left
 * out. installer/cache/tree-integrity.ts hashes a tree on disk so; copyPluginTree hashes what it copies so.
 */
export class TreeHash {
  private readonly hash: Hash;

  private constructor(hash: Hash) {
    this.hash = hash;
  }

  /** (node:crypto loads here, not with this module: it brings Node's stream modules, ~6 ms.) */
  static async create(): Promise<TreeHash> {
    const { createHash } = await import("node:crypto");
    return new TreeHash(createHash("sha512"));
  }

  dir(path: string): void {
    this.hash.update(`d\0${path}\0`);
  }

  link(path: string, target: string): void {
    this.hash.update(`l\0${path}\0${target}\0`);
  }

  /** A file's header; its `size` bytes follow through `bytes`. */
  file(path: string, executable: boolean, size: number): void {
    this.hash.update(`f\0${path}\0${executable ? "x" : "-"}\0${size}\0`);
  }

  bytes(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): string {
    return `sha512-${this.hash.digest("base64")}`;
  }
}
