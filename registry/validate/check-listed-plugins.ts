import { readdirSync, realpathSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { DependencySpec } from "../../schemas/dependency.js";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import type { Finding } from "../../schemas/validation-report.js";
import { kindOf } from "../plugin/scan-context.js";
import { checkPluginDir } from "./check-plugin-dir.js";

/** A marketplace entry with a relative source, at its index in plugins[]. */
export interface ListedPlugin {
  index: number;
  entry: MarketplaceEntry;
}

/** What checking one listed plugin found, and the dependencies its plugin.json declares. */
export interface ListedPluginCheck {
  findings: Finding[];
  manifestDependencies: DependencySpec[];
}

/**
 * Checks every plugin a marketplace lists with a relative source (see checkListedPlugin), in order of
 * `plugins`, sharing one listing per directory above the plugins among them.
 */
export function checkListedPlugins(root: string, realRoot: string | undefined, plugins: readonly ListedPlugin[]): ListedPluginCheck[] {
  const listings: DirListings = new Map();
  return plugins.map((plugin) => checkListedPlugin(root, realRoot, plugin, listings));
}

/** A plugin listed with a relative source: it must exist inside the marketplace, and is checked like a plugin dir. */
export function checkListedPlugin(root: string, realRoot: string | undefined, { entry, index }: ListedPlugin, listings: DirListings = new Map()): ListedPluginCheck {
  const source = entry.source as string;
  const dir = resolve(root, source);
  const at = `plugins[${index}].source`;
  const none: DependencySpec[] = [];
  // a plain directory below the real root needs neither a stat nor a realpath: the listings say so
  const plain = realRoot !== undefined && plainDirectoryUnder(root, dir, listings);
  const kind = plain ? "dir" : kindOf(dir);
  if (kind === undefined)
    return {
      findings: [{ severity: "error", code: "source-missing", path: at, message: `Source path does not exist: ${dir}. Relative sources resolve against the marketplace root (${root}).`, hint: "Create the plugin directory or fix the path; installing this plugin fails." }],
      manifestDependencies: none,
    };
  if (kind !== "dir") return { findings: [{ severity: "error", code: "source-invalid", path: at, message: `Source path is not a directory: ${dir}` }], manifestDependencies: none };
  const real = realRoot === undefined ? undefined : plain ? join(realRoot, relative(root, dir)) : realPath(dir);
  if (real !== undefined && real !== realRoot && !real.startsWith(realRoot + sep))
    return { findings: [{ severity: "error", code: "symlink-escape", path: at, message: `Source ${source} is a symlink to ${real}, outside the marketplace; installs skip links that leave the marketplace.` }], manifestDependencies: none };
  const check = checkPluginDir(dir, { entry, index, sourceIsMarketplaceRoot: dir === resolve(root) }, undefined, real);
  return { findings: check.findings, manifestDependencies: check.manifestRead.status === "ok" ? (check.manifestRead.manifest.dependencies ?? []) : none };
}

/** Directories under the marketplace root listed so far: which entries are directories (not symlinks); null when unreadable. */
export type DirListings = Map<string, Set<string> | null>;

/** True when `dir` is `root` or reached from it through directories only, none a symlink, by listings made once per directory. */
function plainDirectoryUnder(root: string, dir: string, listings: DirListings): boolean {
  if (dir === root) return true;
  if (!dir.startsWith(root) || !(root.endsWith(sep) || dir[root.length] === sep)) return false;
  let parent = root;
  for (const name of dir.slice(root.length).split(sep)) {
    if (name === "") continue;
    let dirs = listings.get(parent);
    if (dirs === undefined) {
      try {
        dirs = new Set(readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
      } catch {
        dirs = null;
      }
      listings.set(parent, dirs);
    }
    if (!dirs?.has(name)) return false;
    parent = join(parent, name);
  }
  return true;
}

/** The real path, or undefined when it cannot be resolved (unreadable paths show up as missing components). */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}
