import { copyFile, cp, lstat, mkdir, readdir, readlink, realpath, symlink } from "./async-fs.js";
import { realpathSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Copies a plugin directory out of its marketplace with the symlink rules of reference §2.3: a link to a
 * target inside the plugin stays a (relative) link, a link to elsewhere inside the marketplace is copied
 * as content, a link leaving the marketplace is skipped. `.git` is never copied. Entries of a directory
 * are copied concurrently. Returns the skipped links, relative to the plugin.
 */
export async function copyPluginTree(pluginDir: string, marketplaceRoot: string, dest: string): Promise<string[]> {
  const scope = { pluginDir: realpathSync.native(pluginDir), root: realpathSync.native(marketplaceRoot), skipped: [] as string[] };
  await copyDir(scope.pluginDir, dest, scope);
  return scope.skipped.sort();
}

interface CopyScope {
  pluginDir: string;
  root: string;
  skipped: string[];
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);

async function copyDir(from: string, to: string, scope: CopyScope): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => {
      if (entry.name === ".git") return undefined;
      const src = join(from, entry.name);
      const dst = join(to, entry.name);
      if (entry.isSymbolicLink()) return copyLink(src, dst, scope);
      if (entry.isDirectory()) return copyDir(src, dst, scope);
      if (entry.isFile()) return copyFile(src, dst);
      return undefined; // sockets, fifos and devices are not plugin content
    }),
  );
}

async function copyLink(src: string, dst: string, scope: CopyScope): Promise<void> {
  const target = await realpath(src).catch(() => undefined);
  if (target && inside(scope.pluginDir, target)) {
    const literal = await readlink(src);
    const kept = resolve(dirname(src), literal);
    await symlink(inside(scope.pluginDir, kept) && !literal.startsWith("/") ? literal : relative(dirname(src), target), dst);
  } else if (target && inside(scope.root, target)) {
    if ((await lstat(target)).isDirectory()) await cp(target, dst, { recursive: true, dereference: true, filter: (p) => !p.split(sep).includes(".git") });
    else await copyFile(target, dst);
  } else {
    scope.skipped.push(relative(scope.pluginDir, src));
  }
}
