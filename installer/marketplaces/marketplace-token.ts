import type { FetchContext } from "../../registry/sources/source.js";
import { AgentError } from "../../schemas/errors.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import { statePaths } from "../state-paths.js";
import type { SecretStore } from "../secrets/secret-store.js";

/** Keychain entry of a marketplace URL's bearer token: one per origin, like a browser's credentials. */
const tokenEntry = (url: string) => ({ id: `marketplace:${new URL(url).origin}`, key: "token" });

async function secretStoreFor(home: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): Promise<SecretStore> {
  const { openSecretStore } = await import("../secrets/open-secret-store.js");
  return openSecretStore({ secretsFile: statePaths(home, env).secretsFile, env, warn });
}

/** `marketplace login <url>`: keeps the token for the URL's origin in the OS keychain (or the 0600 fallback). */
export async function storeMarketplaceToken(home: string, env: NodeJS.ProcessEnv, url: string, token: string, warn: (line: string) => void): Promise<SecretStore["kind"]> {
  if (!/^https?:\/\//.test(url)) throw new AgentError("E_USAGE", `${url} is not an http(s) marketplace URL`, { hint: "agent plugin marketplace login https://host/marketplace.json < token-file" });
  if (!token) throw new AgentError("E_USAGE", "No token on stdin", { hint: "Pipe the token in: agent plugin marketplace login <url> < token-file" });
  const store = await secretStoreFor(home, env, warn);
  const { id, key } = tokenEntry(url);
  await store.set(id, key, token);
  return store.kind;
}

/**
 * The fetch context for a url marketplace with its stored bearer token (AGENT_MARKETPLACE_TOKEN in the
 * context's own env copy, never the process env or a file) when the source sets no Authorization header
 * and the environment gives none. Other sources, and url sources without a stored token, are unchanged.
 */
export async function withStoredToken(source: MarketplaceSource, ctx: FetchContext): Promise<FetchContext> {
  if (source.source !== "url" || ctx.env.AGENT_MARKETPLACE_TOKEN) return ctx;
  if (Object.keys(source.headers ?? {}).some((h) => h.toLowerCase() === "authorization")) return ctx;
  const store = await secretStoreFor(ctx.home, ctx.env, () => {});
  const { id, key } = tokenEntry(source.url);
  const token = await store.get(id, key).catch(() => undefined);
  return token ? { ...ctx, env: { ...ctx.env, AGENT_MARKETPLACE_TOKEN: token } } : ctx;
}
