import { stat } from "../../registry/files/async-fs.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import type { CatalogPlugin } from "../catalog/catalog-types.js";
import { fetchPlugin, type SourceAccess, type StagedPlugin } from "./fetch-plugin.js";
import { readManifestIn } from "./plugin-definition.js";

/**
 * plugin.json of plugins with a remote source (git, GitHub, npm, archive), for the resolver: a plugin's
 * own dependencies are only known once it is on disk. An installed copy is read where there is one;
 * otherwise the plugin is fetched into staging once, and staging reuses that fetch. Whatever is not
 * placed in the cache is swept with the process's other staging dirs when the state lock is released.
 */
export interface RemoteManifests {
  manifest(plugin: CatalogPlugin, installedPath: string | undefined): Promise<PluginManifest | undefined>;
  /** the fetch made for the resolver, if there was one */
  fetched(id: string): Promise<StagedPlugin> | undefined;
}

export function remoteManifests(cacheDir: string, access: SourceAccess): RemoteManifests {
  const fetches = new Map<string, Promise<StagedPlugin>>();
  return {
    async manifest(plugin, installedPath) {
      if (installedPath && (await stat(installedPath).then((s) => s.isDirectory(), () => false))) return readManifestIn(installedPath);
      let fetch = fetches.get(plugin.id);
      if (!fetch) {
        fetch = fetchPlugin(plugin, cacheDir, false, access);
        fetches.set(plugin.id, fetch);
      }
      return readManifestIn((await fetch).dir);
    },
    fetched: (id) => fetches.get(id),
  };
}
