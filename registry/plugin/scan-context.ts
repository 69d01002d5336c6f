import { readdirSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Finding, FindingCode } from "../../schemas/validation-report.js";

/** What one inventory pass shares: the plugin root and where problems and notes go. */
export interface ScanContext {
  root: string;
  realRoot: string;
  /** put before every finding path (e.g. "plugins[2] → ") */
  prefix: string;
  problems: Finding[];
  notes: string[];
}

export function makeScanContext(root: string, prefix = ""): ScanContext {
  const abs = resolve(root);
  let realRoot = abs;
  try {
    realRoot = realpathSync(abs);
  } catch {
    /* a missing root shows up as missing components */
  }
  return { root: abs, realRoot, prefix, problems: [], notes: [] };
}

export function addProblem(ctx: ScanContext, severity: Finding["severity"], code: FindingCode, path: string, message: string, extra: { hint?: string; file?: string } = {}): void {
  ctx.problems.push({ severity, code, path: ctx.prefix + path, message, ...extra });
}

/** The plugin-relative form of an absolute path inside the plugin ("skills/a/SKILL.md"). */
export function relPath(ctx: ScanContext, abs: string): string {
  return relative(ctx.root, abs).split(sep).join("/") || ".";
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
  const kind = kindOf(abs);
  if (!kind) {
    addProblem(ctx, "error", "path-not-found", at, `Path not found: ${rel}. The runtime loader will report this as a load failure.`);
    return undefined;
  }
  return checkInside(ctx, abs, at) ? { abs, kind } : undefined;
}

/** False (and a symlink-escape problem) when a path inside the plugin resolves outside it through a symlink. */
export function checkInside(ctx: ScanContext, abs: string, at: string): boolean {
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
