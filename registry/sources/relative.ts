import { copyFile, cp, lstat, mkdir, readdir, readlink, realpath, stat, symlink } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { resolveRelativeSource } from "../marketplace/resolve-relative-source.js";
import type { FetchContext, FetchedPlugin } from "./source.js";

/**
 * A plugin inside its marketplace ("./plugins/foo"), copied from the marketplace root with the
 * symlink rules of reference §2.3: a link to a target inside the plugin stays a relative link, a
 * link elsewhere inside the marketplace is dereferenced (its content copied), a link outside the
 * marketplace is skipped. `.git` is never copied.
 */
export async function fetchRelativePlugin(source: string, marketplaceRoot: string | undefined, dest: string, ctx: FetchContext): Promise<FetchedPlugin> {
  const from = resolveRelativeSource(marketplaceRoot, source);
  const info = await stat(from).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AgentError("E_NOT_FOUND", `Source path does not exist: ${from}`, {
      hint: "The marketplace lists a plugin directory that is missing; try `agent plugin marketplace update`.",
      details: { source, path: from },
    });
  }
  const root = await realpath(marketplaceRoot!);
  const pluginDir = await realpath(from);
  const skipped: string[] = [];
  await copyTree(pluginDir, dest, { pluginDir, root, skipped });
  if (skipped.length) ctx.log(`Skipped ${skipped.length} link(s) pointing outside the marketplace: ${skipped.join(", ")}`);
  return { dir: dest };
}

interface CopyScope {
  pluginDir: string;
  root: string;
  skipped: string[];
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);

async function copyTree(from: string, to: string, scope: CopyScope): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isSymbolicLink()) await copyLink(src, dst, scope);
    else if (entry.isDirectory()) await copyTree(src, dst, scope);
    else if (entry.isFile()) await copyFile(src, dst);
  }
}

async function copyLink(src: string, dst: string, scope: CopyScope): Promise<void> {
  const target = await realpath(src).catch(() => undefined);
  if (target && inside(scope.pluginDir, target)) {
    const literal = await readlink(src);
    const kept = resolve(dirname(src), literal);
    // keep the link as written when it is already relative and stays inside; else rewrite it relative
    await symlink(inside(scope.pluginDir, kept) && !literal.startsWith("/") ? literal : relative(dirname(src), target), dst);
  } else if (target && inside(scope.root, target)) {
    const info = await lstat(target);
    if (info.isDirectory()) await cp(target, dst, { recursive: true, dereference: true, filter: (p) => !p.split(sep).includes(".git") });
    else await copyFile(target, dst);
  } else {
    scope.skipped.push(relative(scope.pluginDir, src));
  }
}
