import type { EditableScope } from "../schemas/settings.js";
import { agentHome, projectPaths, resolveHome, statePaths, type StatePaths } from "./state-paths.js";
import { settingsFileFor } from "./state/state-files.js";

/** Where one CLI invocation reads and writes state: agent's own home, or a Claude Code home (--claude-home). */
export interface StateContext {
  paths: StatePaths;
  /** project files live under .claude/ instead of .agent/ */
  claudeLayout: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** the agent package (holds the built-in marketplace) */
  packageRoot: string;
  /** agent's own home, for files only agent reads (caches); with --claude-home it is not paths.home */
  ownHome: string;
}

export function stateContext(options: { home?: string | undefined; claudeHome?: string | undefined; env: NodeJS.ProcessEnv; cwd: string; packageRoot: string }): StateContext {
  const home = resolveHome({ ...(options.home ? { home: options.home } : {}), ...(options.claudeHome ? { claudeHome: options.claudeHome } : {}), env: options.env });
  return { paths: statePaths(home, options.env), claudeLayout: Boolean(options.claudeHome), cwd: options.cwd, env: options.env, packageRoot: options.packageRoot, ownHome: agentHome(options) };
}

/** A scope as the place an install lands: its settings file, its lockfile, and projectPath for project/local. */
export interface ScopeTarget {
  scope: EditableScope;
  projectPath: string | undefined;
  settingsFile: string;
  lockfile: string;
}

export function scopeTarget(ctx: StateContext, scope: EditableScope): ScopeTarget {
  const settingsFile = settingsFileFor(scope, ctx.paths, ctx.cwd, ctx.claudeLayout);
  if (scope === "user") return { scope, projectPath: undefined, settingsFile, lockfile: ctx.paths.userLockfile };
  return { scope, projectPath: ctx.cwd, settingsFile, lockfile: projectPaths(ctx.cwd, ctx.claudeLayout).lockfile };
}

/** The scopes whose settings apply in the current directory, lowest precedence first. */
export function visibleScopes(ctx: StateContext): ScopeTarget[] {
  return (["user", "project", "local"] as const).map((s) => scopeTarget(ctx, s));
}
