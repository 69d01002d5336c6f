import { createRequire } from "node:module";
import { lstat, readdir, readFile, readlink } from "../../registry/files/async-fs.js";
import { join, relative } from "node:path";
import type { PackFile } from "./pack-tarball.js";

export interface CollectOptions {
  /** names skipped at any depth */
  skipNames?: ReadonlySet<string>;
  /** absolute paths skipped */
  exclude?: ReadonlySet<string>;
  /** keep symlinks as links (bundles) instead of listing them in `skipped` (npm packages) */
  keepLinks?: boolean;
  /** only these paths (relative, `/`-separated), e.g. npm's pack list; others are left out silently */
  only?: ReadonlySet<string>;
}

/** Every regular file under `root` (and symlinks, when kept), in sorted order, ready for packTarball. */
export async function collectFiles(root: string, options: CollectOptions = {}): Promise<{ files: PackFile[]; skipped: string[] }> {
  const files: PackFile[] = [];
  const skipped: string[] = [];
  const wanted = options.only && wantedDirs(options.only);
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const abs = join(dir, name);
      if (options.skipNames?.has(name) || options.exclude?.has(abs)) continue;
      const info = await lstat(abs);
      const path = relative(root, abs).split("\\").join("/");
      if (info.isDirectory()) {
        if (!wanted || wanted.has(path)) await walk(abs);
      } else if (options.only && !options.only.has(path) && !(info.isSymbolicLink() && wanted!.has(dirOf(path)))) continue;
      else if (info.isFile()) files.push({ path, data: await readFile(abs), executable: (info.mode & 0o111) !== 0 });
      else if (info.isSymbolicLink() && options.keepLinks) files.push({ path, data: Buffer.alloc(0), executable: false, linkpath: await readlink(abs) });
      else skipped.push(path);
    }
  };
  await walk(root);
  return { files, skipped };
}

/**
 * The files `npm pack` puts in a package, by npm's own rules (npm-packlist, the library npm uses): the
 * `files` allowlist of package.json, else `.npmignore`, else `.gitignore`, in every directory; always
 * package.json, README, LICENSE/LICENCE, COPYING, `main` and `bin`; never .git, node_modules, lockfiles,
 * .npmrc, .DS_Store, npm-debug.log, editor swap files. `pkg` is the package.json being packed (for a
 * generated one, which is not on disk, the rules that hang on package.json are applied here).
 */
export async function npmPackList(root: string, pkg: Record<string, unknown>, generated: boolean): Promise<Set<string>> {
  const packlist = createRequire(import.meta.url)("npm-packlist") as (tree: { path: string; package: Record<string, unknown>; isProjectRoot: boolean; edgesOut: Map<string, unknown> }) => Promise<string[]>;
  const listed = await packlist({ path: root, package: pkg, isProjectRoot: true, edgesOut: new Map<string, unknown>() });
  const list = new Set(listed.map((p) => p.split("\\").join("/")));
  if (generated) {
    for (const path of list) if (generatedPackageDrops(path)) list.delete(path);
    for (const name of await generatedPackageKeeps(root)) list.add(name);
  }
  return list;
}

/** npm always packs a package's README, LICENSE/LICENCE and COPYING at its root, whatever the ignore files say. */
const alwaysPacked = /^(readme|copying|license|licence)(\..*[^~$])?$/i;

async function generatedPackageKeeps(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && alwaysPacked.test(e.name)).map((e) => e.name);
}

/** What npm drops because of a package.json (only applied by npm-packlist when one is on disk). */
function generatedPackageDrops(path: string): boolean {
  const top = path.split("/")[0]!;
  return ["node_modules", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb"].includes(top) || path.split("/").at(-1) === ".npmrc";
}

/** Every directory that holds a wanted path, so the walk enters only those. */
function wantedDirs(paths: ReadonlySet<string>): Set<string> {
  const dirs = new Set<string>([""]);
  for (const path of paths) for (let dir = dirOf(path); dir && !dirs.has(dir); dir = dirOf(dir)) dirs.add(dir);
  return dirs;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}
