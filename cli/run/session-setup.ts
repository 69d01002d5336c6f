import { randomUUID } from "node:crypto";
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
 * the sandbox is off only by --no-sandbox or `"sandbox": "off"` in the user settings (never project
 * settings); the state home is hidden from plugin processes.
 */
export async function sessionSetup(state: StateContext, o: { pluginDir?: string[]; sandbox?: boolean; warn: (line: string) => void }): Promise<SessionSetup> {
  const { plugins, userSettings } = await loadSessionPlugins(state);
  for (const dir of o.pluginDir ?? []) {
    const plugin = await loadPluginDir(state, dir);
    const same = plugins.findIndex((p) => p.name === plugin.name);
    if (same >= 0) {
      o.warn(`--plugin-dir ${dir} replaces the installed ${plugins[same]!.id} for this session`);
      plugins.splice(same, 1);
    }
    plugins.push(plugin);
  }
  const sandbox = o.sandbox === false || userSettings.sandbox === "off" ? "off" : "auto";
  return {
    plugins,
    env: { projectDir: state.cwd, sandbox, hiddenPaths: [state.paths.home], onWarning: o.warn },
    sessionId: randomUUID(),
  };
}
