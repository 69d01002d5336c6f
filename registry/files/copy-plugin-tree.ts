import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync, symlinkSync, writeSync, type Dirent } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { TreeHash } from "./tree-hash.js";

export interface CopiedTree {
  /** links left out, relative to the plugin: leaving the marketplace, dangling, or looping back into what is being copied */
  skippedLinks: string[];
  /** with `hash`: the copy's integrity (tree-hash.ts), unless a file changed size while it was copied */
  integrity: string | undefined;
}

/**
 * Copies a plugin directory out of its marketplace with the symlink rules of reference §2.3: a link to a
 * target inside the plugin stays a (relative) link, a link to elsewhere inside the marketplace is copied
 * as content (links inside a directory copied so follow the same rules), a link leaving the marketplace
 * is skipped. `.git` is never copied. With `hash`, the integrity of the copy is computed from the bytes
 * as they are copied, in the order tree-hash.ts prescribes, so the copy is never read back.
 *
 * One entry at a time with synchronous calls, yielding to the event loop every few hundred entries:
 * creating the files is the cost, and the thread pool's threads do not create them faster together. Each
 * file is read and written (open, read, open, write): node:fs's copyFile adds fchmod, ftruncate and
 * copy_file_range calls, three metadata updates that made copying a plugin of small files twice as slow.
 * A file is created with its source's permission bits under the user's umask, as `cp` and `tar` do.
 */
export async function copyPluginTree(pluginDir: string, marketplaceRoot: string, dest: string, options: { hash?: boolean } = {}): Promise<CopiedTree> {
  const hash = options.hash ? await TreeHash.create() : undefined;
  const scope: CopyScope = {
    pluginDir: realpathSync.native(pluginDir),
    root: realpathSync.native(marketplaceRoot),
    skipped: [],
    copying: [],
    steady: true,
    buffer: Buffer.allocUnsafe(bufferSize),
    untilYield: yieldEvery,
  };
  mkdirSync(dest, { recursive: true });
  await copyDir(scope.pluginDir, dest, "", true, scope, hash);
  return { skippedLinks: scope.skipped.sort(), integrity: hash && scope.steady ? hash.digest() : undefined };
}

/** What to tell the user about the links a copy left out (none: nothing to tell). */
export function skippedLinksNote(skippedLinks: readonly string[]): string | undefined {
  const n = skippedLinks.length;
  if (n === 0) return undefined;
  return `left out ${n} symbolic link${n === 1 ? "" : "s"} pointing outside the marketplace, at nothing, or back into the plugin: ${skippedLinks.join(", ")}`;
}

const bufferSize = 128 * 1024;
const yieldEvery = 256;

interface CopyScope {
  pluginDir: string;
  root: string;
  skipped: string[];
  /** the real paths of the directories being copied, outermost first: a link to one of them (or above) would copy forever */
  copying: string[];
  /** false once a file's size changed while it was copied (its hashed size is not what was written) */
  steady: boolean;
  buffer: Buffer;
  untilYield: number;
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);
const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Copies `from` into the existing `to`, which is `rel` inside the copied plugin. `inPlace`: `from` is that
 * same place inside the plugin's own directory (not a directory a link led to).
 */
async function copyDir(from: string, to: string, rel: string, inPlace: boolean, scope: CopyScope, hash: TreeHash | undefined): Promise<void> {
  scope.copying.push(from);
  for (const entry of readdirSync(from, { withFileTypes: true }).sort(byName)) {
    if (entry.name === ".git") continue;
    if (--scope.untilYield === 0) {
      scope.untilYield = yieldEvery;
      await new Promise<void>((done) => setImmediate(done));
    }
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    const src = `${from}/${entry.name}`;
    const dst = `${to}/${entry.name}`;
    if (entry.isSymbolicLink()) await copyLink(src, dst, path, inPlace, scope, hash);
    else if (entry.isDirectory()) {
      mkdirSync(dst);
      hash?.dir(path);
      await copyDir(src, dst, path, inPlace, scope, hash);
    } else if (entry.isFile()) copyFile(src, dst, path, scope, hash);
    // sockets, fifos and devices are not plugin content
  }
  scope.copying.pop();
}

async function copyLink(src: string, dst: string, path: string, inPlace: boolean, scope: CopyScope, hash: TreeHash | undefined): Promise<void> {
  let target: string;
  try {
    target = realpathSync.native(src);
  } catch {
    scope.skipped.push(path); // dangling
    return;
  }
  if (inside(scope.pluginDir, target)) {
    const literal = readlinkSync(src);
    const keepLiteral = inPlace && !literal.startsWith("/") && inside(scope.pluginDir, resolve(dirname(src), literal));
    const text = keepLiteral ? literal : relative(dirname(join(scope.pluginDir, path)), target);
    symlinkSync(text, dst);
    hash?.link(path, text);
    return;
  }
  if (!inside(scope.root, target)) {
    scope.skipped.push(path);
    return;
  }
  const info = statSync(target);
  if (info.isDirectory()) {
    if (scope.copying.some((dir) => inside(target, dir))) {
      scope.skipped.push(path);
      return;
    }
    mkdirSync(dst);
    hash?.dir(path);
    await copyDir(target, dst, path, false, scope, hash);
  } else if (info.isFile()) copyFile(target, dst, path, scope, hash);
}

function copyFile(src: string, dst: string, path: string, scope: CopyScope, hash: TreeHash | undefined): void {
  const input = openSync(src, "r");
  try {
    const { mode, size } = fstatSync(input);
    const output = openSync(dst, "wx", mode & 0o777);
    try {
      // the umask may have taken the x bits away; only a source with some has to be asked
      hash?.file(path, (mode & 0o111) !== 0 && (fstatSync(output).mode & 0o111) !== 0, size);
      let copied = 0;
      while (copied < size) {
        const read = readSync(input, scope.buffer, 0, Math.min(scope.buffer.length, size - copied), null);
        if (read === 0) break;
        const chunk = scope.buffer.subarray(0, read);
        for (let written = 0; written < read; ) written += writeSync(output, chunk, written, read - written);
        hash?.bytes(path, chunk);
        copied += read;
      }
      if (copied !== size) scope.steady = false;
    } finally {
      closeSync(output);
    }
  } finally {
    closeSync(input);
  }
}
