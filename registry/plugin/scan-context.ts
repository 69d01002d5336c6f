import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
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
}

/** A directory's entries as readdir reported them: sorted names, and each name's kind (symlinks not followed). */
interface Listing {
  names: string[];
  kinds: Map<string, EntryKind>;
}
type EntryKind = PathKind | "symlink" | "other";

/** Names are compared byte for byte only where the file system is case-sensitive by default. */
const caseSensitive = process.platform === "linux";

export function makeScanContext(root: string, prefix = ""): ScanContext {
  const abs = resolve(root);
  let realRoot = abs;
  try {
    realRoot = realpathSync(abs);
  } catch {
    /* a missing root shows up as missing components */
  }
  return { root: abs, realRoot, prefix, problems: [], notes: [], listings: new Map() };
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
  for (const part of rel.split("/")) if (part === "" || part === "." || part === "..") return false;
  return true;
}

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
    real = realpathSync(abs);
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
    const st = statSync(abs);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a path is, from the listing of its parent when the path is under the plugin root (one readdir per
 * directory instead of one stat per path); symlinks are followed with a stat, as kindOf does.
 */
export function kindIn(ctx: ScanContext, abs: string): PathKind | undefined {
  if (abs === ctx.root || !within(ctx.root, abs)) return kindOf(abs);
  const listing = listingOf(ctx, dirname(abs));
  const kind = listing?.kinds.get(basename(abs));
  if (kind === "file" || kind === "dir") return kind;
  if (kind === "other") return undefined;
  if (kind === undefined && listing && caseSensitive) return undefined;
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
    .map((n) => join(dir, n))
    .filter((p) => kindIn(ctx, p) === "file");
}

function listingOf(ctx: ScanContext, path: string): Listing | null {
  const dir = path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
  let listing = ctx.listings.get(dir);
  if (listing === undefined) {
    try {
      const kinds = new Map<string, EntryKind>();
      for (const entry of readdirSync(dir, { withFileTypes: true })) kinds.set(entry.name, entryKind(entry));
      listing = { names: [...kinds.keys()].sort(), kinds };
    } catch (error) {
      // a missing directory holds nothing; an unreadable one may still hold paths a stat can see
      const code = (error as NodeJS.ErrnoException).code;
      listing = code === "ENOENT" || code === "ENOTDIR" ? { names: [], kinds: new Map() } : null;
    }
    ctx.listings.set(dir, listing);
  }
  return listing;
}

function entryKind(entry: Dirent): EntryKind {
  return entry.isSymbolicLink() ? "symlink" : entry.isDirectory() ? "dir" : entry.isFile() ? "file" : "other";
}

/**
 * True when every step from the (already resolved) root down to the path is a plain file or directory in
 * a listing: its real path is then the real root joined with the same relative path, so it is inside.
 */
function reachedWithoutSymlinks(ctx: ScanContext, abs: string): boolean {
  if (abs === ctx.root || !within(ctx.root, abs)) return false;
  let dir = ctx.root;
  for (const part of abs.slice(ctx.root.length + (ctx.root.endsWith(sep) ? 0 : 1)).split(sep)) {
    const kind = listingOf(ctx, dir)?.kinds.get(part);
    if (kind !== "file" && kind !== "dir") return false;
    dir = join(dir, part);
  }
  return true;
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
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}
