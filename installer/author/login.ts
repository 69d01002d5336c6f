import { AgentError } from "../../schemas/errors.js";
import { parseRegistryUrl, storeRegistryToken } from "./registry-credentials.js";
import { registryRequest } from "./registry-request.js";

export type LoginCredentials = { token: string } | { username: string; password: string };

export interface LoginResult {
  registry: string;
  user: string;
  /** where the token now lives */
  store: "keychain" | "file";
}

/**
 * `agent login`: a given token is checked with `GET /-/whoami`; a user name and password are traded
 * for a token with npm's login call (PUT /-/user/org.couchdb.user:<name>). The token is then kept in
 * the OS keychain (or the 0600 secrets file) for `agent plugin publish`.
 */
export async function loginToRegistry(registry: string, credentials: LoginCredentials, options: { secretsFile: string; env: NodeJS.ProcessEnv; warn?: (line: string) => void }): Promise<LoginResult> {
  const base = parseRegistryUrl(registry).href.replace(/\/?$/, "/");
  let token: string;
  if ("token" in credentials) {
    token = credentials.token;
  } else {
    const id = `org.couchdb.user:${credentials.username}`;
    const { body } = await registryRequest(new URL(`-/user/${encodeURIComponent(id)}`, base).href, {
      method: "PUT",
      body: { _id: id, name: credentials.username, password: credentials.password, type: "user", roles: [], date: new Date().toISOString() },
      env: options.env,
      what: `log in as ${credentials.username}`,
    });
    if (typeof body.token !== "string" || !body.token) {
      throw new AgentError("E_REGISTRY", "The registry accepted the login but sent no token", { hint: "Create a token on the registry and run `agent login --registry <url> --token <token>`.", details: { registry: base } });
    }
    token = body.token;
  }
  const { body } = await registryRequest(new URL("-/whoami", base).href, { method: "GET", token, env: options.env, what: "check the token" });
  const user = typeof body.username === "string" ? body.username : "";
  const store = await storeRegistryToken(options.secretsFile, options.env, base, token, options.warn);
  return { registry: base, user, store };
}
