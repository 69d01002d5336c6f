import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The npm options pacote needs from the user's configuration: `registry`, `@scope:registry` and the
 * per-registry auth keys (`//host/:_authToken`, `_auth`, `username`/`_password`) from the user .npmrc
 * (NPM_CONFIG_USERCONFIG or ~/.npmrc) and `npm_config_*` environment variables, with `${VAR}` expanded
 * as npm does. Values are handed to npm-registry-fetch in memory only.
 */
export function npmConfig(env: NodeJS.ProcessEnv): Record<string, string> {
  const file = env.NPM_CONFIG_USERCONFIG || env.npm_config_userconfig || join(env.HOME ?? homedir(), ".npmrc");
  const config: Record<string, string> = {};
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no user .npmrc: defaults apply
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, "$2");
    config[key] = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? "");
  }
  for (const [key, value] of Object.entries(env)) {
    const m = /^npm_config_(.+)$/i.exec(key);
    if (m && value !== undefined && /^(registry|@.+:registry)$/i.test(m[1]!)) config[m[1]!.toLowerCase()] = value;
  }
  return config;
}
