import { AgentError } from "../../schemas/errors.js";
import { fileSecretStore } from "./file-secret-store.js";
import { keychainSecretStore, probeKeychain } from "./keychain-secret-store.js";
import type { SecretStore, SecretStoreMode } from "./secret-store.js";

export interface OpenSecretStoreOptions {
  /** the fallback file: statePaths(home).secretsFile */
  secretsFile: string;
  /** default: AGENT_SECRET_STORE, else "auto" */
  mode?: SecretStoreMode;
  env?: NodeJS.ProcessEnv;
  /** keychain service name; default "agent" (tests use their own) */
  service?: string;
  /** keychain call timeout; default 3000 ms */
  timeoutMs?: number;
  /** where the fallback warning goes; default stderr */
  warn?: (line: string) => void;
}

const probes = new Map<string, Promise<string | undefined>>();

/** Why the keychain cannot be used here, or undefined when a set/get/delete round trip worked. Cached per bus. */
export function keychainUnavailableReason(options: Pick<OpenSecretStoreOptions, "env" | "service" | "timeoutMs"> = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  if (process.platform === "linux" && !env.DBUS_SESSION_BUS_ADDRESS)
    return Promise.resolve("DBUS_SESSION_BUS_ADDRESS is not set, so there is no Secret Service (gnome-keyring, KWallet) to talk to");
  const key = `${env.DBUS_SESSION_BUS_ADDRESS}\0${options.service ?? ""}\0${options.timeoutMs ?? ""}`;
  let probe = probes.get(key);
  if (!probe) {
    probe = probeKeychain({ env, service: options.service, timeoutMs: options.timeoutMs });
    probes.set(key, probe);
  }
  return probe;
}

/**
 * Picks the secret store: "keychain" (fails with E_KEYCHAIN when the keychain does not work), "file", or
 * "auto" (the keychain when a probe round trip works, else the 0600 file with a loud warning).
 */
export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const env = options.env ?? process.env;
  const mode = options.mode ?? (env.AGENT_SECRET_STORE as SecretStoreMode | undefined) ?? "auto";
  if (!["auto", "keychain", "file"].includes(mode))
    throw new AgentError("E_USAGE", `AGENT_SECRET_STORE must be auto, keychain or file, not "${mode}"`);
  const keychain = () => keychainSecretStore({ env, service: options.service, timeoutMs: options.timeoutMs });
  if (mode === "file") return fileSecretStore(options.secretsFile, "AGENT_SECRET_STORE=file");
  const reason = await keychainUnavailableReason(options);
  if (reason === undefined) return keychain();
  if (mode === "keychain")
    throw new AgentError("E_KEYCHAIN", `The OS keychain is not usable: ${reason}`, {
      hint: "Start a Secret Service (e.g. gnome-keyring-daemon --unlock inside a D-Bus session), or set AGENT_SECRET_STORE=file to keep secrets in a 0600 file.",
      details: { mode },
    });
  const warn = options.warn ?? ((line: string) => process.stderr.write(`agent: warning: ${line}\n`));
  warn(`the OS keychain is not usable (${reason}); sensitive plugin settings are stored UNENCRYPTED in ${options.secretsFile} (mode 0600). Set AGENT_SECRET_STORE=keychain to make this an error instead.`);
  return fileSecretStore(options.secretsFile, `keychain unavailable: ${reason}`);
}
