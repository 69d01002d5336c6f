import { npmConfig } from "../../registry/sources/npm-config.js";
import { AgentError } from "../../schemas/errors.js";
import { openSecretStore } from "../secrets/open-secret-store.js";
import type { SecretStore } from "../secrets/secret-store.js";

/** Where a registry token was found. */
export type TokenOrigin = "agent login" | ".npmrc";

/**
 * npm's "nerf dart" of a registry URL, `//host:port/path/`: the key .npmrc uses for per-registry auth
 * and the one `agent login` stores the token under (keychain account "registry://host:port/path//token").
 */
export function registryKey(registry: string): string {
  const url = parseRegistryUrl(registry);
  return `//${url.host}${url.pathname.replace(/\/?$/, "/")}`;
}

export function parseRegistryUrl(registry: string): URL {
  let url: URL;
  try {
    url = new URL(registry);
  } catch {
    throw new AgentError("E_USAGE", `"${registry}" is not a registry URL`, { hint: "Pass --registry http(s)://host[:port]/", details: { registry } });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AgentError("E_USAGE", `Registry URLs are http(s), not ${url.protocol}`, { hint: "Pass --registry http(s)://host[:port]/", details: { registry } });
  return url;
}

/** The registry a command talks to: the flag, else the user's npm config `registry`. */
export function chooseRegistry(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const registry = flag ?? npmConfig(env).registry;
  if (!registry) throw new AgentError("E_USAGE", "No registry given", { hint: "Pass --registry http(s)://host[:port]/ (or set registry= in ~/.npmrc)." });
  return parseRegistryUrl(registry).href;
}

const tokenKey = "token";

function secretId(registry: string): string {
  return `registry:${registryKey(registry)}`;
}

function open(secretsFile: string, env: NodeJS.ProcessEnv, warn?: (line: string) => void): Promise<SecretStore> {
  return openSecretStore({ secretsFile, env, ...(warn ? { warn } : {}) });
}

/** Keeps a registry token in the OS keychain, or the 0600 secrets file when there is none. */
export async function storeRegistryToken(secretsFile: string, env: NodeJS.ProcessEnv, registry: string, token: string, warn?: (line: string) => void): Promise<SecretStore["kind"]> {
  const store = await open(secretsFile, env, warn);
  await store.set(secretId(registry), tokenKey, token);
  return store.kind;
}

/** The token for a registry: what `agent login` stored, else `//host:port/:_authToken` from .npmrc. */
export async function findRegistryToken(secretsFile: string, env: NodeJS.ProcessEnv, registry: string): Promise<{ token: string; origin: TokenOrigin } | undefined> {
  const stored = await (await open(secretsFile, env, () => undefined)).get(secretId(registry), tokenKey);
  if (stored) return { token: stored, origin: "agent login" };
  const key = registryKey(registry);
  const config = npmConfig(env);
  const fromNpmrc = config[`${key}:_authToken`] ?? config[`${key.replace(/\/$/, "")}:_authToken`];
  return fromNpmrc ? { token: fromNpmrc, origin: ".npmrc" } : undefined;
}
