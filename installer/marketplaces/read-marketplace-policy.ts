import { readdir, readFile } from "../../registry/files/async-fs.js";
import type { ManagedSettings } from "../../schemas/settings.js";
import type { StatePaths } from "../state-paths.js";

export type MarketplacePolicy = Pick<ManagedSettings, "strictKnownMarketplaces" | "blockedMarketplaces">;

const policyKeys = ["strictKnownMarketplaces", "blockedMarketplaces"] as const;
const matchedFields = ["source", "repo", "url", "ref", "path", "package", "name", "hostPattern", "pathPattern"];

/**
 * The two marketplace policy lists from the managed settings files (the same files and drop-ins, merged
 * the same way as loadManagedSettings, arrays concatenated), read without loading the settings schemas
 * so `marketplace add` can start its fetch while the rest of the CLI loads. Fail-closed: undefined when
 * a file does not parse or an entry is not the plain shape the matcher compares; the caller then
 * takes the full path (loadManagedSettings, then fetch).
 */
export async function readMarketplacePolicy(paths: StatePaths): Promise<MarketplacePolicy | undefined> {
  const policy: Record<string, unknown[]> = {};
  for (const file of paths.managedSettings) {
    const dropInDir = file.replace(/\.json$/, ".d");
    const dropIns = (await readdir(dropInDir).catch(() => [] as string[])).filter((f) => f.endsWith(".json")).sort();
    for (const path of [file, ...dropIns.map((f) => `${dropInDir}/${f}`)]) {
      const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "{}" : undefined));
      if (text === undefined) return undefined;
      let settings: unknown;
      try {
        settings = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (!isPlainObject(settings)) return undefined;
      for (const key of policyKeys) {
        const value = settings[key];
        if (value === undefined) continue;
        if (!Array.isArray(value) || !value.every(isPlainEntry)) return undefined;
        policy[key] = [...(policy[key] ?? []), ...value];
      }
    }
  }
  return policy as MarketplacePolicy;
}

function isPlainEntry(entry: unknown): boolean {
  return isPlainObject(entry) && matchedFields.every((field) => entry[field] === undefined || typeof entry[field] === "string");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
