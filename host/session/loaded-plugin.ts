import type { PluginInventory } from "../../registry/plugin/index.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Permissions } from "../../schemas/permissions.js";
import type { SandboxMode } from "../sandbox/plugin-process-spec.js";

/**
 * One enabled plugin as a session sees it: where it lives, what it contributes, and the values its
 * processes may see. The CLI builds these from install state (or --plugin-dir); the host never
 * reads install state itself.
 */
export interface LoadedPlugin {
  /** "name@marketplace" ("name@inline" for --plugin-dir plugins) */
  id: string;
  name: string;
  marketplace: string;
  version?: string;
  /** absolute install dir (CLAUDE_PLUGIN_ROOT), mounted read-only in the sandbox */
  root: string;
  /** absolute persistent data dir (CLAUDE_PLUGIN_DATA), mounted read-write in the sandbox */
  dataDir: string;
  /** effective manifest (plugin.json merged with its marketplace entry), when there is one */
  manifest?: PluginManifest;
  inventory: PluginInventory;
  /** approved permissions (extension key `permissions`); network defaults to none */
  permissions?: Permissions;
  /** resolved userConfig values, defaults applied; sensitive ones included (they come from the keychain) */
  config: Record<string, string | number | boolean | string[]>;
}

/** What every plugin process in a session shares. */
export interface SessionEnvironment {
  /** the workspace (CLAUDE_PROJECT_DIR) */
  projectDir: string;
  /** "off" only from user settings or --no-sandbox */
  sandbox: SandboxMode;
  /** host paths to hide from plugin processes besides the defaults (e.g. AGENT_HOME) */
  hiddenPaths: string[];
  /** host dirs plugin processes may read even inside a hidden path (a shared toolchain); see PluginProcessSpec */
  readOnlyPaths?: string[];
  onWarning?: (message: string) => void;
}
