/**
 * Where `sensitive: true` userConfig values live. One entry per plugin and key: in the OS keychain as
 * service "agent", account "<plugin-id>/<KEY>"; in the fallback file as {"pluginSecrets": {id: {KEY: value}}}.
 * Values never appear in errors or logs.
 */
export type SecretStoreMode = "auto" | "keychain" | "file";

export interface SecretStore {
  kind: "keychain" | "file";
  /** why this store was chosen (the fallback reason in auto mode) */
  reason: string;
  /** the fallback file, when kind is "file" */
  file?: string;
  get(pluginId: string, key: string): Promise<string | undefined>;
  set(pluginId: string, key: string, value: string): Promise<void>;
  /** true when something was deleted */
  delete(pluginId: string, key: string): Promise<boolean>;
  /** removes every key of a plugin; returns the keys that were there */
  deleteAll(pluginId: string): Promise<string[]>;
  /** the keys stored for a plugin (never the values) */
  keys(pluginId: string): Promise<string[]>;
}

export const secretService = "agent";

export function secretAccount(pluginId: string, key: string): string {
  return `${pluginId}/${key}`;
}
