import type { SecretStore } from "../secrets/secret-store.js";
import type { StateContext } from "../state-context.js";
import type { StatePaths } from "../state-paths.js";

/**
 * Where the installer keeps sensitive userConfig values: the OS keychain when it answers (AGENT_SECRET_STORE
 * picks), else the 0600 credentials file with a loud warning. A Claude Code home (--claude-home) uses the
 * credentials file Claude Code itself reads on Linux. Reads and deletes look in both places, so a value
 * stored before the keychain came up (or went away) is still found and still removed.
 */
// loaded on first use: most installs have no sensitive options, and start-up stays lean
const stores = () => Promise.all([import("../secrets/file-secret-store.js"), import("../secrets/open-secret-store.js")]).then(([f, o]) => ({ ...f, ...o }));

type SecretsScope = Pick<StateContext, "paths" | "env" | "claudeLayout"> | StatePaths;

function scopeOf(where: SecretsScope): { paths: StatePaths; env: NodeJS.ProcessEnv; claudeLayout: boolean } {
  return "paths" in where ? where : { paths: where, env: process.env, claudeLayout: false };
}

/** The store new values go to. */
async function writeStore(where: SecretsScope, warn?: (line: string) => void): Promise<SecretStore> {
  const { paths, env, claudeLayout } = scopeOf(where);
  const { fileSecretStore, openSecretStore } = await stores();
  if (claudeLayout) return Promise.resolve(fileSecretStore(paths.secretsFile, "a Claude Code home keeps plugin secrets in .credentials.json"));
  return openSecretStore({ secretsFile: paths.secretsFile, env, ...(warn ? { warn } : {}) });
}

/** Every store a value may be in: the credentials file, and the keychain when it works here. */
async function allStores(where: SecretsScope): Promise<SecretStore[]> {
  const { paths, env, claudeLayout } = scopeOf(where);
  const { fileSecretStore, keychainUnavailableReason, openSecretStore } = await stores();
  const file = fileSecretStore(paths.secretsFile);
  if (claudeLayout || env.AGENT_SECRET_STORE === "file" || (await keychainUnavailableReason({ env })) !== undefined) return [file];
  return [file, await openSecretStore({ secretsFile: paths.secretsFile, env, mode: "keychain" })];
}

export async function storePluginSecrets(where: SecretsScope, id: string, values: Record<string, string>, warn?: (line: string) => void): Promise<void> {
  if (Object.keys(values).length === 0) return;
  const store = await writeStore(where, warn);
  for (const [key, value] of Object.entries(values)) await store.set(id, key, value);
  if (store.kind === "keychain") {
    // a value set again moves out of the file it may have fallen back to earlier
    const file = (await stores()).fileSecretStore(scopeOf(where).paths.secretsFile);
    for (const key of Object.keys(values)) await file.delete(id, key);
  }
}

/** Removes every secret of a plugin from every store; returns the keys that were stored. */
export async function deletePluginSecrets(where: SecretsScope, id: string): Promise<string[]> {
  const keys = new Set<string>();
  for (const store of await allStores(where)) for (const key of await store.deleteAll(id)) keys.add(key);
  return [...keys].sort();
}

export async function pluginSecretKeys(where: SecretsScope, id: string): Promise<string[]> {
  const keys = new Set<string>();
  for (const store of await allStores(where)) for (const key of await store.keys(id)) keys.add(key);
  return [...keys].sort();
}

/**
 * A plugin's stored sensitive values of the given keys, for the session that runs it (never printed).
 * The keychain wins. No keys (a plugin without sensitive options): no store is opened at all.
 */
export async function readPluginSecrets(where: SecretsScope, id: string, keys: readonly string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (keys.length === 0) return values;
  for (const store of await allStores(where)) {
    for (const key of keys) {
      const value = await store.get(id, key);
      if (value !== undefined) values[key] = value;
    }
  }
  return values;
}
