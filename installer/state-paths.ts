import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where agent keeps its state (DESIGN.md "State"). With `claudeHome` the same layout is read from a
 * Claude Code home (~/.claude), whose shapes agent writes compatibly.
 */
export interface StatePaths {
  home: string;
  settings: string;
  managedSettings: string[];
  pluginsDir: string;
  knownMarketplaces: string;
  installedPlugins: string;
  marketplacesDir: string;
  cacheDir: string;
  dataDir: string;
  npmCacheDir: string;
  lockFile: string;
  secretsFile: string;
  /** user-scope lockfile written by install (project/local scopes use <project>/.agent/agent-lock.json) */
  userLockfile: string;
}

export function resolveHome(options: { home?: string; claudeHome?: string; env: NodeJS.ProcessEnv }): string {
  if (options.claudeHome) return resolve(options.claudeHome);
  if (options.home) return resolve(options.home);
  if (options.env.AGENT_HOME) return resolve(options.env.AGENT_HOME);
  return join(options.env.HOME ?? homedir(), ".agent");
}

/** agent's own home, for files only agent reads (caches): the state home, except under --claude-home. */
export function agentHome(options: { home?: string | undefined; env: NodeJS.ProcessEnv }): string {
  return resolveHome({ ...(options.home ? { home: options.home } : {}), env: options.env });
}

/** Where `agent run` remembers a passing sandbox check. */
export function sandboxCheckFile(options: { home?: string | undefined; env: NodeJS.ProcessEnv }): string {
  return join(agentHome(options), "sandbox-check.json");
}

export function statePaths(home: string, env: NodeJS.ProcessEnv = process.env): StatePaths {
  const pluginsDir = join(home, "plugins");
  const managed = env.AGENT_MANAGED_SETTINGS
    ? [resolve(env.AGENT_MANAGED_SETTINGS)]
    : [join(home, "managed-settings.json"), "/etc/agent/managed-settings.json"];
  return {
    home,
    settings: join(home, "settings.json"),
    managedSettings: managed,
    pluginsDir,
    knownMarketplaces: join(pluginsDir, "known_marketplaces.json"),
    installedPlugins: join(pluginsDir, "installed_plugins.json"),
    marketplacesDir: join(pluginsDir, "marketplaces"),
    cacheDir: join(pluginsDir, "cache"),
    dataDir: join(pluginsDir, "data"),
    npmCacheDir: join(pluginsDir, "npm-cache"),
    lockFile: join(home, "agent.lock"),
    secretsFile: join(home, ".credentials.json"),
    userLockfile: join(home, "agent-lock.json"),
  };
}

/** Project-scope files: <project>/.agent/settings.json, settings.local.json and agent-lock.json. */
export function projectPaths(projectDir: string, claudeLayout = false) {
  const dir = join(projectDir, claudeLayout ? ".claude" : ".agent");
  return {
    dir,
    settings: join(dir, "settings.json"),
    localSettings: join(dir, "settings.local.json"),
    lockfile: join(dir, "agent-lock.json"),
  };
}
