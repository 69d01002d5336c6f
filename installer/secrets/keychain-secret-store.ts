import { runKeychainHelper, type KeychainCallOptions } from "./run-keychain-helper.js";
import { secretAccount, secretService, type SecretStore } from "./secret-store.js";

/** The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows), out of process. */
export function keychainSecretStore(options: KeychainCallOptions & { service?: string; reason?: string } = {}): SecretStore {
  const service = options.service ?? secretService;
  return {
    kind: "keychain",
    reason: options.reason ?? "the OS keychain answered",
    async get(pluginId, key) {
      return (await runKeychainHelper("get", service, secretAccount(pluginId, key), undefined, options)).value;
    },
    async set(pluginId, key, value) {
      await runKeychainHelper("set", service, secretAccount(pluginId, key), value, options);
    },
    async delete(pluginId, key) {
      return Boolean((await runKeychainHelper("delete", service, secretAccount(pluginId, key), undefined, options)).deleted);
    },
    async deleteAll(pluginId) {
      return (await runKeychainHelper("delete-prefix", service, `${pluginId}/`, undefined, options)).keys ?? [];
    },
    async keys(pluginId) {
      return (await runKeychainHelper("list", service, `${pluginId}/`, undefined, options)).keys ?? [];
    },
  };
}

/** A set/get/delete round trip in one helper run; resolves to the failure reason, or undefined when the keychain works. */
export async function probeKeychain(options: KeychainCallOptions & { service?: string } = {}): Promise<string | undefined> {
  try {
    await runKeychainHelper("probe", options.service ?? secretService, `agent-probe-${process.pid}`, undefined, options);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
