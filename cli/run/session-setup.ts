import { randomUUID } from "node:crypto";
import { decideSandboxMode, sandboxModeWarnings } from "../../host/sandbox/sandbox-mode.js";
import type { SessionEnvironment, LoadedPlugin } from "../../host/session/loaded-plugin.js";
import type { StateContext } from "../../installer/state-context.js";
import { loadPluginDir, loadSessionPlugins } from "./load-session-plugins.js";

export interface SessionSetup {
  plugins: LoadedPlugin[];
  env: SessionEnvironment;
  sessionId: string;
}

/**
 * The plugins and environment of an `agent run`: installed and enabled plugins plus --plugin-dir ones;
 * the sandbox is off only by --no-sandbox or `"sandbox": "off"` in the user settings (a project's
 * "off" is ignored, with a warning); the state home is hidden from plugin processes.
 */
export async function sessionSetup(state: StateContext, o: { pluginDir?: string[]; sandbox?: boolean; warn: (line: string) => void }): Promise<SessionSetup> {
  const { plugins, userSettings, projectSettings } = await loadSessionPlugins(state);
  for (const dir of o.pluginDir ?? []) {
    const plugin = await loadPluginDir(state, dir);
    const same = plugins.findIndex((p) => p.name === plugin.name);
    if (same >= 0) {
      o.warn(`--plugin-dir ${dir} replaces the installed ${plugins[same]!.id} for this session`);
      plugins.splice(same, 1);
    }
    plugins.push(plugin);
  }
  const decision = decideSandboxMode({ noSandbox: o.sandbox === false, userSettings, projectSettings });
  for (const line of sandboxModeWarnings(decision)) o.warn(line);
  return {
    plugins,
    env: { projectDir: state.cwd, sandbox: decision.mode, hiddenPaths: [state.paths.home], onWarning: o.warn },
    sessionId: randomUUID(),
  };
}
