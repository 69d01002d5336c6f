import type { PluginProcessSpec, WorkspaceAccess } from "../sandbox/plugin-process-spec.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { pluginProcessEnv } from "./plugin-process-env.js";

const accessRank: Record<WorkspaceAccess, number> = { none: 0, read: 1, write: 2 };

export interface ProcessRequest {
  command: string;
  args?: string[];
  /** variables beyond the plugin's own (a config's `env`) */
  env?: Record<string, string>;
  /** at least this much workspace access (hooks and LSP servers read the workspace); the approved permission can raise it */
  minimumWorkspace?: WorkspaceAccess;
}

/** A spawnPluginProcess spec for one of a plugin's processes: its dirs, its approved permissions, the session's sandbox. */
export function pluginProcessSpec(plugin: LoadedPlugin, env: SessionEnvironment, request: ProcessRequest): PluginProcessSpec {
  const granted = plugin.permissions?.filesystem?.workspace ?? "none";
  const minimum = request.minimumWorkspace ?? "none";
  const access = accessRank[minimum] > accessRank[granted] ? minimum : granted;
  return {
    command: request.command,
    args: request.args ?? [],
    cwd: access === "none" ? plugin.dataDir : env.projectDir,
    env: { ...pluginProcessEnv(plugin, env), ...request.env },
    pluginRoot: plugin.root,
    dataDir: plugin.dataDir,
    workspace: { path: env.projectDir, access },
    permissions: plugin.permissions,
    sandbox: env.sandbox,
    pluginId: plugin.id,
    hiddenPaths: env.hiddenPaths,
    ...(env.readOnlyPaths ? { readOnlyPaths: env.readOnlyPaths } : {}),
    onWarning: env.onWarning,
  };
}
