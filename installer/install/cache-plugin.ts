import { rm } from "../../registry/files/async-fs.js";
import type { CatalogPlugin } from "../catalog/catalog-types.js";
import { placeInCache } from "../cache/cache-store.js";
import { pluginVersion } from "../cache/plugin-version.js";
import { treeIntegrity } from "../cache/tree-integrity.js";
import { fetchPlugin, localPluginDir, type SourceAccess, type StagedPlugin } from "./fetch-plugin.js";
import { readManifestIn } from "./plugin-definition.js";
import type { PluginDefinition } from "./plugin-definition.js";

/** A plugin fetched, versioned by the §5.1 rule and in the cache. */
export interface CachedPlugin {
  id: string;
  version: string;
  installPath: string;
  integrity: string;
  commit: string | undefined;
  resolved: string;
  reused: boolean;
}

/** Fetches a plugin into staging; never touches the cache. The caller removes `dir` if it is not placed. */
export type StagedForCache = StagedPlugin & { integrity: string; version: string };

export async function stagePlugin(plugin: CatalogPlugin, definition: PluginDefinition, cacheDir: string, access: SourceAccess, prefetched?: Promise<StagedPlugin>): Promise<StagedForCache> {
  const needCommit = !definition.manifestVersion && !definition.entryVersion;
  const staged = await (prefetched ?? fetchPlugin(plugin, cacheDir, needCommit, access));
  try {
    const integrity = staged.integrity ?? (await treeIntegrity(staged.dir));
    // without a resolver fetch, a remote plugin's plugin.json is first seen here, and its version comes first (§5.1)
    const manifestVersion = definition.manifestVersion ?? (localPluginDir(plugin) === undefined ? (await readManifestIn(staged.dir).catch(() => undefined))?.version : undefined);
    const version = await pluginVersion({
      manifestVersion,
      entryVersion: definition.entryVersion,
      commit: staged.commit,
      subdirPath: staged.subdirPath,
      packageVersion: staged.packageVersion,
    });
    return { ...staged, integrity, version };
  } catch (error) {
    await rm(staged.dir, { recursive: true, force: true });
    throw error;
  }
}

/** Renames a staged plugin into plugins/cache/<market>/<plugin>/<version>/ (or reuses an identical copy). */
export async function cacheStaged(plugin: CatalogPlugin, staged: StagedForCache, cacheDir: string): Promise<CachedPlugin> {
  const placed = await placeInCache(cacheDir, plugin.marketplace.name, plugin.name, staged.version, staged.dir, staged.integrity);
  return { id: plugin.id, version: staged.version, installPath: placed.installPath, integrity: staged.integrity, commit: staged.commit, resolved: staged.resolved, reused: placed.reused };
}
