import { AgentError } from "../../schemas/errors.js";
import type { UserConfigValue } from "../../schemas/user-config.js";
import { pluginSecretKeys, storePluginSecrets } from "../config/plugin-secrets.js";
import { unsetOptions, validateUserConfig } from "../config/validate-user-config.js";
import type { PlannedPlugin } from "../resolve-plan.js";
import type { ScopeTarget, StateContext } from "../state-context.js";
import type { StateDraft } from "../state-draft.js";
import type { InstallOptions } from "./install-plugins.js";

export interface CollectedConfig {
  /** non-sensitive values per plugin id, for settings pluginConfigs[id].options */
  values: Map<string, Record<string, UserConfigValue>>;
  warnings: string[];
  /** writes the sensitive values to the secret store (called just before the state commit) */
  storeSecrets(): Promise<void>;
}

/**
 * userConfig for the requested plugins: `--config` values validated against the declared types, unset
 * options asked for on a TTY, sensitive values split off for the secret store (never settings or logs).
 */
export async function collectConfig(ctx: StateContext, draft: StateDraft, roots: PlannedPlugin[], options: InstallOptions, target: ScopeTarget): Promise<CollectedConfig> {
  const values = new Map<string, Record<string, UserConfigValue>>();
  const secrets = new Map<string, Record<string, string>>();
  const warnings: string[] = [];
  for (const root of roots) {
    const schema = root.definition.userConfig;
    const typed = validateUserConfig(root.id, schema, options.config, ctx.cwd);
    const settings = await draft.settings(target.settingsFile);
    const hasSecrets = Object.values(schema).some((o) => o.sensitive);
    const already = [...Object.keys(settings.pluginConfigs?.[root.id]?.options ?? {}), ...(hasSecrets ? await pluginSecretKeys(ctx, root.id) : [])];
    if (options.prompt && !options.dryRun) {
      for (const key of unsetOptions(schema, [...already, ...Object.keys(typed)]).keys) {
        const option = schema[key]!;
        const suffix = option.default !== undefined ? ` [${option.sensitive ? "default set" : String(option.default)}]` : option.required ? " (required)" : " (Enter to skip)";
        const answer = await options.prompt(`${option.title} — ${option.description}${suffix}: `, { secret: Boolean(option.sensitive) });
        if (answer === "") {
          if (option.required && option.default === undefined) throw new AgentError("E_CONFIG", `${option.title} (${key}) is required for ${root.id}`, { details: { plugin: root.id, key } });
          continue;
        }
        Object.assign(typed, validateUserConfig(root.id, schema, { [key]: answer }, ctx.cwd));
      }
    }
    const plain: Record<string, UserConfigValue> = {};
    const secret: Record<string, string> = {};
    for (const [key, value] of Object.entries(typed)) {
      if (schema[key]!.sensitive) secret[key] = Array.isArray(value) ? value.join(",") : String(value);
      else plain[key] = value;
    }
    if (Object.keys(plain).length) values.set(root.id, plain);
    if (Object.keys(secret).length) secrets.set(root.id, secret);
    const unset = unsetOptions(schema, [...already, ...Object.keys(typed)]);
    if (unset.keys.length) {
      warnings.push(
        `${unset.keys.length} userConfig option${unset.keys.length > 1 ? "s" : ""} of ${root.id} not yet set${unset.required ? ` (${unset.required} required)` : ""} — pass --config KEY=VALUE (${unset.keys.join(", ")}).`,
      );
    }
  }
  return {
    values,
    warnings,
    storeSecrets: async () => {
      for (const [id, s] of secrets) await storePluginSecrets(ctx, id, s, options.log);
    },
  };
}
