import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Finding, FindingCode } from "../../schemas/validation-report.js";

/** What one inventory pass shares: the plugin root and where problems and notes go. */
export interface ScanContext {
  root: string;
  realRoot: string;
  /** put before every finding path (e.g. "plugins[2] → ") */
  prefix: string;
  problems: Finding[];
  notes: string[];
  /** directories under the root listed so far, with their entries' kinds (null: unreadable) */
  listings: Map<string, Listing | null>;
  /** paths under the root an lstat has answered for (symlinks not followed) */
  lstats: Map<string, EntryKind | "missing">;
}

/** A directory's entries as readdir reported them: sorted names, and each name's kind (symlinks not followed). */
interface Listing {
  names: string[];
  kinds: Map<string, EntryKind>;
}
type EntryKind = PathKind | "symlink" | "other";

/** Names are compared byte for byte only where the file system is case-sensitive by default. */
const caseSensitive = process.platform === "linux";

export function makeScanContext(root: string, prefix = "", knownRealRoot?: string): ScanContext {
  const abs = resolve(root);
  let realRoot = knownRealRoot ?? abs;
  if (knownRealRoot === undefined)
    try {
      realRoot = realpathSync.native(abs);
    } catch {
      /* a missing root shows up as missing components */
    }
  return { root: abs, realRoot, prefix, problems: [], notes: [], listings: new Map(), lstats: new Map() };
}

export function addProblem(ctx: ScanContext, severity: Finding["severity"], code: FindingCode, path: string, message: string, extra: { hint?: string; file?: string } = {}): void {
  ctx.problems.push({ severity, code, path: ctx.prefix + path, message, ...extra });
}

/** The plugin-relative form of an absolute path inside the plugin ("skills/a/SKILL.md"). */
export function relPath(ctx: ScanContext, abs: string): string {
  if (sep === "/" && abs.startsWith(ctx.root) && abs[ctx.root.length] === "/" && isNormalRelative(abs.slice(ctx.root.length + 1))) return abs.slice(ctx.root.length + 1);
  return relative(ctx.root, abs).split(sep).join("/") || ".";
}

/** "a/b.md": no empty, "." or ".." segment, so path.relative would return it unchanged. */
function isNormalRelative(rel: string): boolean {
  return rel !== "" && !oddSegment.test(rel);
}
const oddSegment = /(^|\/)\.{0,2}(\/|$)/;

export type PathKind = "file" | "dir";

/**
 * Resolves a manifest component path ("./x") against the plugin root. Reports (as problems, at `at`)
 * paths that do not exist and paths that leave the plugin, textually or through a symlink.
 */
export function resolveComponentPath(ctx: ScanContext, rel: string, at: string): { abs: string; kind: PathKind } | undefined {
  const abs = resolve(ctx.root, rel);
  if (isAbsolute(rel) || !within(ctx.root, abs)) {
    addProblem(ctx, "error", "path-traversal", at, `Path leaves the plugin root: ${rel}`);
    return undefined;
  }
  const kind = kindIn(ctx, abs);
  if (!kind) {
    addProblem(ctx, "error", "path-not-found", at, `Path not found: ${rel}. The runtime loader will report this as a load failure.`);
    return undefined;
  }
  return checkInside(ctx, abs, at) ? { abs, kind } : undefined;
}

/** False (and a symlink-escape problem) when a path inside the plugin resolves outside it through a symlink. */
export function checkInside(ctx: ScanContext, abs: string, at: string): boolean {
  if (reachedWithoutSymlinks(ctx, abs)) return true;
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch {
    return false;
  }
  if (within(ctx.realRoot, real)) return true;
  addProblem(ctx, "error", "symlink-escape", at, `${relPath(ctx, abs)} is a symlink to ${real}, outside the plugin. Installs copy only the plugin directory, so it breaks after install.`, {
    hint: "Copy the target into the plugin instead of linking to it.",
  });
  return false;
}

export function kindOf(abs: string): PathKind | undefined {
  try {
    const st = statSync(abs, { throwIfNoEntry: false });
    return st?.isDirectory() ? "dir" : st?.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a path under the plugin root is, answered without a syscall when a listing already says (the
 * parent was listed, or an ancestor is missing); else by an lstat (remembered, so a later symlink check
 * needs none), and a stat only for a symlink. Symlinks are followed, as kindOf.
 */
export function kindIn(ctx: ScanContext, abs: string): PathKind | undefined {
  if (abs === ctx.root || !within(ctx.root, abs)) return kindOf(abs);
  // the root holds most single-path checks (hooks/, .mcp.json, bin, …): one listing answers them all
  const kind = parentOf(abs) === ctx.root ? (listingOf(ctx, ctx.root) && known(ctx, abs)) : known(ctx, abs);
  if (kind === "file" || kind === "dir") return kind;
  if (kind === "other" || kind === "missing") return undefined;
  const own = lstatKind(ctx, abs);
  if (own === "file" || own === "dir") return own;
  if (own === "other" || own === "missing") return undefined;
  return kindOf(abs);
}

/** Sorted entry names of a directory under the plugin root ([] when it does not exist), listed once. */
export function listDirIn(ctx: ScanContext, abs: string): string[] {
  if (!within(ctx.root, abs)) return listDir(abs);
  return listingOf(ctx, abs)?.names ?? [];
}

/** The *.<ext> files directly inside a directory, as absolute paths, from its listing. */
export function filesWithExtensionIn(ctx: ScanContext, dir: string, ext: string): string[] {
  if (!within(ctx.root, dir)) return filesWithExtension(dir, ext);
  return listDirIn(ctx, dir)
    .filter((n) => n.endsWith(ext) && !n.startsWith("."))
    .map((n) => childPath(dir, n))
    .filter((p) => kindIn(ctx, p) === "file");
}

/** `join(dir, name)` for a normalized directory and a plain entry name, without normalizing again. */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** `dirname` of a normalized absolute path (no trailing separator), by one search. */
function parentOf(abs: string): string {
  const cut = abs.lastIndexOf(sep);
  if (cut <= 0 || cut === abs.length - 1 || sep !== "/") return dirname(abs);
  return abs.slice(0, cut);
}

/** `basename` of a normalized path whose parent is `parent`. */
function nameIn(parent: string, abs: string): string {
  return sep !== "/" || abs.endsWith(sep) ? basename(abs) : abs.slice(parent.length + (parent.endsWith(sep) ? 0 : 1));
}

/** What the listings made so far say a path is (symlinks not followed); undefined when they do not tell. */
function known(ctx: ScanContext, abs: string): EntryKind | "missing" | undefined {
  if (abs === ctx.root || !within(ctx.root, abs)) return undefined;
  const seen = ctx.lstats.get(abs);
  if (seen !== undefined) return seen;
  const parent = parentOf(abs);
  const listing = ctx.listings.get(parent);
  if (listing) return listing.kinds.get(nameIn(parent, abs)) ?? (caseSensitive ? "missing" : undefined);
  if (listing === null) return undefined;
  const above = known(ctx, parent);
  return above === "missing" || above === "file" || above === "other" ? "missing" : undefined;
}

function listingOf(ctx: ScanContext, path: string): Listing | null {
  const dir = path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
  let listing = ctx.listings.get(dir);
  if (listing === undefined) {
    const kind = known(ctx, dir);
    if (kind === "missing" || kind === "file" || kind === "other") {
      listing = { names: [], kinds: new Map() };
    } else {
      try {
        const kinds = new Map<string, EntryKind>();
        for (const entry of readdirSync(dir, { withFileTypes: true })) kinds.set(entry.name, entryKind(entry));
        listing = { names: [...kinds.keys()].sort(), kinds };
      } catch (error) {
        // a missing directory holds nothing; an unreadable one may still hold paths a stat can see
        const code = (error as NodeJS.ErrnoException).code;
        listing = code === "ENOENT" || code === "ENOTDIR" ? { names: [], kinds: new Map() } : null;
      }
    }
    ctx.listings.set(dir, listing);
  }
  return listing;
}

function entryKind(entry: Dirent): EntryKind {
  return entry.isSymbolicLink() ? "symlink" : entry.isDirectory() ? "dir" : entry.isFile() ? "file" : "other";
}

/**
 * True when every step from the (already resolved) root down to the path is a plain file or directory,
 * by the listings or else an lstat: its real path is then the real root joined with the same relative
 * path, so it is inside.
 */
function reachedWithoutSymlinks(ctx: ScanContext, abs: string): boolean {
  if (abs === ctx.root || !within(ctx.root, abs)) return false;
  let path = ctx.root;
  for (const part of abs.slice(ctx.root.length + (ctx.root.endsWith(sep) ? 0 : 1)).split(sep)) {
    path = part === "" || part === "." || part === ".." ? join(path, part) : childPath(path, part);
    const kind = known(ctx, path) ?? lstatKind(ctx, path);
    if (kind !== "file" && kind !== "dir") return false;
  }
  return true;
}

/** An lstat's answer, remembered for the scan; undefined (and not remembered) when the lstat failed other than "no such entry". */
function lstatKind(ctx: ScanContext, abs: string): EntryKind | "missing" | undefined {
  let kind = ctx.lstats.get(abs);
  if (kind !== undefined) return kind;
  try {
    const st = lstatSync(abs, { throwIfNoEntry: false });
    kind = !st ? "missing" : st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
  } catch {
    return undefined;
  }
  ctx.lstats.set(abs, kind);
  return kind;
}

/** Sorted entry names of a directory ([] when it does not exist). */
export function listDir(abs: string): string[] {
  try {
    return readdirSync(abs).sort();
  } catch {
    return [];
  }
}

/** The *.<ext> files directly inside a directory, as absolute paths. */
export function filesWithExtension(dir: string, ext: string): string[] {
  return listDir(dir)
    .filter((n) => n.endsWith(ext) && !n.startsWith("."))
    .map((n) => join(dir, n))
    .filter((p) => kindOf(p) === "file");
}

function within(parent: string, child: string): boolean {
  if (!child.startsWith(parent)) return false;
  return child.length === parent.length || child[parent.length] === sep || parent.endsWith(sep);
}
