import type { Storage, VersionManifest } from "../storage/storage.js";
import { readPluginComponents, type PluginComponents } from "./plugin-components.js";

const maxEntries = 500;

/**
 * Components of published versions, read from their tarballs once per process: a published
 * version is immutable, so name@version plus its integrity is a safe key. Concurrent requests for
 * one version share one read.
 */
export function componentsCache(storage: Storage): (name: string, manifest: VersionManifest) => Promise<PluginComponents | undefined> {
  const entries = new Map<string, Promise<PluginComponents | undefined>>();
  return (name, manifest) => {
    const key = `${name}@${manifest.version}\0${manifest.dist.integrity}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = read(storage, name, manifest);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
      entry.catch(() => entries.delete(key));
    }
    return entry;
  };
}

async function read(storage: Storage, name: string, manifest: VersionManifest): Promise<PluginComponents | undefined> {
  const file = manifest.dist.tarball.slice(manifest.dist.tarball.lastIndexOf("/") + 1);
  const tarball = await storage.getTarball(name, file);
  return tarball ? readPluginComponents(tarball) : undefined;
}
