import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { promisify } from "node:util";
import { AgentError } from "../../schemas/errors.js";
import { pluginSourceKind } from "../../schemas/plugin-source.js";
import type { CatalogPlugin } from "../catalog/catalog-types.js";
import { makeStagingDir } from "../cache/cache-store.js";
import { copyPluginTree } from "../cache/copy-plugin-tree.js";

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

/** Fetches one plugin into a fresh staging dir under `cacheDir`. */
export async function fetchPlugin(plugin: CatalogPlugin, cacheDir: string, needCommit: boolean): Promise<StagedPlugin> {
  const dir = localPluginDir(plugin);
  if (dir === undefined) {
    const kind = pluginSourceKind(plugin.entry.source);
    throw new AgentError("E_UNSUPPORTED_SOURCE", `Plugin "${plugin.id}" uses a ${kind} source, which this build of agent cannot fetch yet`, {
      details: { id: plugin.id, source: plugin.entry.source },
    });
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AgentError("E_NOT_FOUND", `Source path does not exist: ${dir}`, {
      hint: `The marketplace "${plugin.marketplace.name}" lists ${plugin.name} at a path that is missing; try \`agent plugin marketplace update ${plugin.marketplace.name}\`.`,
      details: { id: plugin.id, path: dir },
    });
  }
  const staged = await makeStagingDir(cacheDir);
  const skippedLinks = await copyPluginTree(dir, plugin.marketplace.pluginRoot!, staged);
  const commit = plugin.marketplace.commit ?? (needCommit ? await gitHead(dir) : undefined);
  return { dir: staged, commit, resolved: resolvedSource(plugin), ...(skippedLinks.length ? { skippedLinks } : {}) };
}

async function gitHead(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["-C", dir, "rev-parse", "HEAD"], { timeout: 10_000 });
    return /^[0-9a-f]{40}$/.test(stdout.trim()) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Where a plugin comes from, as the lockfile records it. */
export function resolvedSource(plugin: CatalogPlugin): string {
  const source = plugin.entry.source;
  return `${plugin.marketplace.name}:${typeof source === "string" ? source : JSON.stringify(source)}`;
}
