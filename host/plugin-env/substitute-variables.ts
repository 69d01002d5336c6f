import { AgentError } from "../../schemas/errors.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";

export interface SubstituteOptions {
  /**
   * Also expand `${VAR}` and `${VAR:-default}` (MCP configs). Only host variables the plugin declared
   * in `permissions.env` are read; any other name takes its default, so a config cannot copy a host
   * secret into a plugin process.
   */
  hostEnv?: NodeJS.ProcessEnv;
  /** names the config in errors, e.g. 'MCP server "db"' */
  what: string;
}

const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)(?::-([^}]*))?\}/g;

/** The plugin variables of reference §10.8 as they read inside the sandbox (same paths as on the host). */
export function pluginVariables(plugin: LoadedPlugin, env: SessionEnvironment): Record<string, string> {
  return { CLAUDE_PLUGIN_ROOT: plugin.root, CLAUDE_PLUGIN_DATA: plugin.dataDir, CLAUDE_PROJECT_DIR: env.projectDir };
}

export function configValueText(value: LoadedPlugin["config"][string]): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

/**
 * Expands ${CLAUDE_PLUGIN_ROOT}, ${CLAUDE_PLUGIN_DATA}, ${CLAUDE_PROJECT_DIR} and ${user_config.KEY}
 * (defaults included: plugin.config already holds them), plus host variables when asked. Anything
 * that cannot be expanded is an E_CONFIG error naming the variable.
 */
export function substituteVariables(text: string, plugin: LoadedPlugin, env: SessionEnvironment, options: SubstituteOptions): string {
  const known = pluginVariables(plugin, env);
  const passed = new Set(plugin.permissions?.env ?? []);
  return text.replace(pattern, (whole, name: string, fallback: string | undefined) => {
    if (name in known) return known[name]!;
    if (name.startsWith("user_config.")) {
      const key = name.slice("user_config.".length);
      const value = plugin.config[key];
      if (value !== undefined) return configValueText(value);
      if (fallback !== undefined) return fallback;
      throw new AgentError("E_CONFIG", `${plugin.id}: ${options.what} uses \${${name}}, but the option "${key}" has no value and no default`, {
        hint: `agent plugin install ${plugin.id} --config ${key}=VALUE`,
        details: { plugin: plugin.id, key },
      });
    }
    if (name.includes(".")) return whole;
    if (!options.hostEnv) return whole;
    const hostValue = passed.has(name) ? options.hostEnv[name] : undefined;
    if (hostValue !== undefined) return hostValue;
    if (fallback !== undefined) return fallback;
    throw new AgentError("E_CONFIG", `${plugin.id}: ${options.what} uses \${${name}}, which is ${passed.has(name) ? "not set" : "not among the host variables the plugin may read"}`, {
      hint: passed.has(name) ? `Set ${name} in your environment, or give it a default: \${${name}:-value}` : `The plugin must list "${name}" in permissions.env (and you approve it on install), or give it a default: \${${name}:-value}`,
      details: { plugin: plugin.id, variable: name },
    });
  });
}

/** substituteVariables over every string of a record (env, headers). */
export function substituteRecord(record: Record<string, string> | undefined, plugin: LoadedPlugin, env: SessionEnvironment, options: SubstituteOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, substituteVariables(v, plugin, env, options)]));
}
