import { dirname } from "node:path";
import { listDirOrNone } from "../../registry/files/sync-fs.js";
import type { InstalledPlugins } from "../../schemas/installed-plugins.js";
import type { KnownMarketplaces } from "../../schemas/known-marketplaces.js";
import { parseAs } from "../../schemas/parsers.js";
import type { EditableScope, ManagedSettings, Settings } from "../../schemas/settings.js";
import { projectPaths, type StatePaths } from "../state-paths.js";
import { readJsonFile } from "./read-json-file.js";
import { sweepDeadTemps, writeJsonAtomic } from "./write-file-atomic.js";

/** Typed access to every state file. Writes are atomic; callers hold the state lock around read-modify-write. */
export function loadSettings(file: string): Promise<Settings> {
  return readJsonFile(file, "settings", () => ({}));
}

/** Writes a settings file, first removing the temp files a killed writer left beside it (as commitFiles does for the files it writes). */
export function saveSettings(file: string, settings: Settings): Promise<void> {
  sweepDeadTemps(dirname(file));
  return writeJsonAtomic(file, settings);
}

/** The settings file a scope writes: user → <home>/settings.json, project/local → <project>/.agent/… */
export function settingsFileFor(scope: EditableScope, paths: StatePaths, projectDir: string, claudeLayout = false): string {
  if (scope === "user") return paths.settings;
  const project = projectPaths(projectDir, claudeLayout);
  return scope === "project" ? project.settings : project.localSettings;
}

export function loadKnownMarketplaces(paths: StatePaths): Promise<KnownMarketplaces> {
  return readJsonFile(paths.knownMarketplaces, "knownMarketplaces", () => ({}));
}

export function saveKnownMarketplaces(paths: StatePaths, known: KnownMarketplaces): Promise<void> {
  return writeJsonAtomic(paths.knownMarketplaces, sortKeys(known));
}

export function loadInstalledPlugins(paths: StatePaths): Promise<InstalledPlugins> {
  return readJsonFile(paths.installedPlugins, "installedPlugins", () => ({ version: 2, plugins: {} }));
}

export function saveInstalledPlugins(paths: StatePaths, installed: InstalledPlugins): Promise<void> {
  return writeJsonAtomic(paths.installedPlugins, { version: 2, plugins: sortKeys(installed.plugins) });
}

/**
 * Managed policy: every managed-settings.json candidate plus <file>.d/*.json drop-ins, merged in order
 * with arrays concatenated and objects merged (reference §9).
 */
export async function loadManagedSettings(paths: StatePaths): Promise<ManagedSettings> {
  let merged: Record<string, unknown> = {};
  for (const file of paths.managedSettings) {
    const dropInDir = file.replace(/\.json$/, ".d");
    const dropIns = listDirOrNone(dropInDir).filter((f) => f.endsWith(".json")).sort();
    for (const path of [file, ...dropIns.map((f) => `${dropInDir}/${f}`)]) {
      merged = mergeSettings(merged, await readJsonFile(path, "managedSettings", () => ({})));
    }
  }
  // each file was checked as it was read; their merge must still be a valid whole
  const parsed = await parseAs("managedSettings", merged);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}


function mergeSettings(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    if (Array.isArray(prev) && Array.isArray(value)) out[key] = [...prev, ...value];
    else if (isPlainObject(prev) && isPlainObject(value)) out[key] = mergeSettings(prev, value);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sortKeys<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
