/** Why an archive entry is refused; stable strings reported as `details.reason`. */
export type UnsafeReason = "absolute-path" | "path-traversal" | "special-file" | "link-escape" | "through-link";

const writableTypes = new Set(["File", "OldFile", "ContiguousFile", "Directory", "SymbolicLink", "Link"]);

/** Checks an entry's own path and type, before anything is written. */
export function entryProblem(type: string, path: string): UnsafeReason | undefined {
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) return "absolute-path";
  if (path.split(/[\\/]/).includes("..")) return "path-traversal";
  if (!writableTypes.has(type)) return "special-file";
  return undefined;
}

/**
 * Checks a link target. A symbolic link resolves from its own directory, a hard link from the archive
 * root; either must stay inside the tree without passing through a link the archive made.
 */
export function linkTargetProblem(kind: "symbolic" | "hard", path: string, target: string, links: ReadonlySet<string>): UnsafeReason | undefined {
  if (target === "" || target.startsWith("/") || target.startsWith("\\") || /^[A-Za-z]:/.test(target)) return "link-escape";
  const at = kind === "symbolic" ? path.split("/").slice(0, -1) : [];
  const segments = target.split(/[\\/]/).filter((s) => s !== "" && s !== ".");
  for (const [i, segment] of segments.entries()) {
    if (segment === "..") {
      if (at.length === 0) return "link-escape";
      at.pop();
      continue;
    }
    at.push(segment);
    if (i < segments.length - 1 && links.has(at.join("/"))) return "link-escape";
  }
  return undefined;
}
