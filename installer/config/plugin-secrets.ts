import { readFile } from "node:fs/promises";
import type { StatePaths } from "../state-paths.js";
import { writeJsonAtomic } from "../state/write-file-atomic.js";

/**
 * Where sensitive userConfig values go. This is the one door the installer uses; it keeps them in the
 * 0600 credentials file Claude Code itself falls back to ({"pluginSecrets": {id: {key: value}}}), and is
 * the place to switch to the OS keychain (installer/secrets) when that is available.
 */
interface CredentialsFile {
  pluginSecrets?: Record<string, Record<string, string>>;
  [key: string]: unknown;
}

async function readCredentials(paths: StatePaths): Promise<CredentialsFile> {
  try {
    return JSON.parse(await readFile(paths.secretsFile, "utf8")) as CredentialsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

export async function storePluginSecrets(paths: StatePaths, id: string, values: Record<string, string>): Promise<void> {
  if (Object.keys(values).length === 0) return;
  const file = await readCredentials(paths);
  file.pluginSecrets = { ...file.pluginSecrets, [id]: { ...file.pluginSecrets?.[id], ...values } };
  await writeJsonAtomic(paths.secretsFile, file, 0o600);
}

/** Removes every secret of a plugin; returns the keys that were stored. */
export async function deletePluginSecrets(paths: StatePaths, id: string): Promise<string[]> {
  const file = await readCredentials(paths);
  const keys = Object.keys(file.pluginSecrets?.[id] ?? {});
  if (keys.length === 0) return [];
  delete file.pluginSecrets![id];
  await writeJsonAtomic(paths.secretsFile, file, 0o600);
  return keys;
}

export async function pluginSecretKeys(paths: StatePaths, id: string): Promise<string[]> {
  return Object.keys((await readCredentials(paths)).pluginSecrets?.[id] ?? {});
}

/** A plugin's stored sensitive values, for the session that runs it (never printed). */
export async function readPluginSecrets(paths: StatePaths, id: string): Promise<Record<string, string>> {
  return { ...(await readCredentials(paths)).pluginSecrets?.[id] };
}
