import { statSync } from "node:fs";
import { rename, rm } from "../../registry/files/async-fs.js";
import { join, resolve, sep } from "node:path";
import { describeDirectSource } from "../bundle/direct-source.js";
import { AgentError } from "../../schemas/errors.js";
import type { PluginSource } from "../../schemas/plugin-source.js";
import type { FetchContext } from "../../registry/sources/source.js";
import type { CatalogPlugin } from "../catalog/catalog-types.js";
import { makeStagingDir } from "../cache/cache-store.js";
import { copyPluginTree } from "../../registry/files/copy-plugin-tree.js";

/** A plugin's contents in a staging dir beside the cache, plus what the version rule needs. */
export interface StagedPlugin {
  dir: string;
  commit?: string | undefined;
  subdirPath?: string | undefined;
  packageVersion?: string | undefined;
  /** what the lockfile records as where it came from */
  resolved: string;
  /** symlinks left out because they point outside the marketplace (reference §2.3) */
  skippedLinks?: string[];
  /** the staged tree's integrity, when the fetch computed it while writing the tree */
  integrity?: string | undefined;
}

/** The directory a relative-source plugin lives in, checked to stay inside its marketplace. */
export function localPluginDir(plugin: CatalogPlugin): string | undefined {
  const source = plugin.entry.source;
  if (typeof source !== "string") return undefined;
  const root = plugin.marketplace.pluginRoot;
  if (!root) {
    throw new AgentError("E_UNSUPPORTED_SOURCE", `Plugin "${plugin.id}" has a relative source but marketplace "${plugin.marketplace.name}" has no directory to resolve it against`, {
      hint: "Add the marketplace from a git repository or a directory instead of a bare marketplace.json URL.",
      details: { id: plugin.id, source },
    });
  }
  const dir = resolve(root, source);
  if (dir !== resolve(root) && !dir.startsWith(resolve(root) + sep)) {
    throw new AgentError("E_UNSAFE_ARCHIVE", `Plugin "${plugin.id}" source ${source} leaves its marketplace`, { details: { id: plugin.id, source } });
  }
  return dir;
}

/** What fetching a remote source needs: the caller's environment, managed policy and state dir. */
export type SourceAccess = Pick<FetchContext, "env" | "log" | "policy" | "home" | "npmCacheDir">;

/** Fetches one plugin into a fresh staging dir under `cacheDir`. */
export async function fetchPlugin(plugin: CatalogPlugin, cacheDir: string, needCommit: boolean, access: SourceAccess): Promise<StagedPlugin> {
  const dir = localPluginDir(plugin);
  if (dir === undefined) return fetchRemote(plugin, cacheDir, access);
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    const hint = plugin.marketplace.direct
      ? `${plugin.id} was installed from that directory, which is gone. Install it from where it is now (\`agent plugin install <dir>\`), or remove it: \`agent plugin uninstall ${plugin.id}\`.`
      : `The marketplace "${plugin.marketplace.name}" lists ${plugin.name} at a path that is missing; try \`agent plugin marketplace update ${plugin.marketplace.name}\`.`;
    throw new AgentError("E_NOT_FOUND", `Source path does not exist: ${dir}`, { hint, details: { id: plugin.id, path: dir } });
  }
  const staged = await makeStagingDir(cacheDir);
  const { skippedLinks, integrity } = await copyPluginTree(dir, plugin.marketplace.pluginRoot!, staged, { hash: true });
  const commit = plugin.marketplace.commit ?? (needCommit ? await gitHead(dir) : undefined);
  return { dir: staged, commit, resolved: resolvedSource(plugin), integrity, ...(skippedLinks.length ? { skippedLinks } : {}) };
}

/**
 * A git, GitHub, npm or archive source through registry/sources (managed policy checked there before any
 * I/O, archives extracted safely): fetched beside the cache, then the plugin root alone becomes the staged dir.
 */
async function fetchRemote(plugin: CatalogPlugin, cacheDir: string, access: SourceAccess): Promise<StagedPlugin> {
  const { fetchPlugin: fetchSource } = await import("../../registry/sources/index.js");
  const scratch = await makeStagingDir(cacheDir);
  try {
    const fetched = await fetchSource(plugin.entry.source as PluginSource, join(scratch, "fetched"), access, { marketplaceSource: plugin.marketplace.source });
    const staged = `${scratch}-plugin`;
    await rename(fetched.dir, staged);
    await rm(join(staged, ".git"), { recursive: true, force: true });
    return {
      dir: staged,
      commit: fetched.commit,
      subdirPath: fetched.subdirPath,
      // an npm package's own version; an archive's sourceVersion is its sha256, not a version
      packageVersion: (plugin.entry.source as { source?: string }).source === "npm" ? fetched.sourceVersion : undefined,
      resolved: resolvedSource(plugin),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function gitHead(dir: string): Promise<string | undefined> {
  try {
    // loaded here: most installs never ask git, and child_process costs every install its load
    const [{ execFile }, { promisify }] = await Promise.all([import("node:child_process"), import("node:util")]);
    const { stdout } = await promisify(execFile)("git", ["-C", dir, "rev-parse", "HEAD"], { timeout: 10_000 });
    return /^[0-9a-f]{40}$/.test(stdout.trim()) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Where a plugin comes from, as the lockfile records it. */
export function resolvedSource(plugin: CatalogPlugin): string {
  const direct = plugin.marketplace.direct;
  if (direct) return `${direct.source}:${describeDirectSource(direct)}`; // where it was installed from, not the one-plugin marketplace's "./"
  const source = plugin.entry.source;
  return `${plugin.marketplace.name}:${typeof source === "string" ? source : JSON.stringify(source)}`;
}
