import { parsePluginId } from "../../schemas/names.js";
import type { Permissions } from "../../schemas/permissions.js";
import type { UserConfigOption } from "../../schemas/user-config.js";
import { pluginInventory } from "../../registry/plugin/index.js";
import { loadCatalog } from "../catalog/load-catalog.js";
import { pluginSecretKeys } from "../config/plugin-secrets.js";
import { definePlugin, readManifestIn } from "../install/plugin-definition.js";
import { describePermissions } from "../install/review-permissions.js";
import { resolveInstalledId } from "../remove/uninstall-plugin.js";
import type { StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { settleState } from "../state-transaction.js";
import { graphOf } from "./load-installed-graph.js";

export interface ConfigKeyDetail {
  key: string;
  type: UserConfigOption["type"];
  title: string;
  required: boolean;
  sensitive: boolean;
  /** a value is stored (secrets are never shown) */
  set: boolean;
  value?: unknown;
}

export interface PluginDetails {
  id: string;
  name: string;
  version: string;
  description?: string;
  marketplace: string;
  source: unknown;
  commit?: string;
  integrity?: string;
  installPath: string;
  scopes: { scope: string; projectPath?: string; auto: boolean }[];
  enabled: boolean;
  components: { skills: string[]; commands: string[]; agents: string[]; hooks: string[]; mcpServers: string[]; lspServers: string[]; outputStyles: string[]; monitors: string[] };
  dependencies: string[];
  dependents: string[];
  config: ConfigKeyDetail[];
  permissions: { declared: Permissions | null; summary: string[] };
  problems: string[];
}

/** `agent plugin details <id>`: what an installed plugin is, contains, needs, and who needs it. */
export async function pluginDetails(ctx: StateContext, spec: string): Promise<PluginDetails> {
  await settleState(ctx.paths);
  const draft = await StateDraft.load(ctx);
  const id = resolveInstalledId(draft, spec);
  const { graph, scopes } = await graphOf(draft, ctx);
  const record = graph.visible(id) ?? draft.records(id)[0]!;
  const manifest = await readManifestIn(record.installPath).catch(() => undefined);
  const catalog = await loadCatalog(draft.known, ctx.packageRoot);
  const entry = catalog.plugin(id)?.entry ?? { name: parsePluginId(id)!.name, source: "./" };
  const definition = definePlugin(entry, manifest);
  const inventory = pluginInventory(record.installPath, manifest, { fallbackName: parsePluginId(id)!.name });
  const userScope = scopes[0]!;
  const configured = { ...(await draft.settings(userScope.settingsFile)).pluginConfigs?.[id]?.options };
  for (const s of scopes.slice(1)) Object.assign(configured, (await draft.settings(s.settingsFile)).pluginConfigs?.[id]?.options);
  const secrets = new Set(Object.values(definition.userConfig).some((o) => o.sensitive) ? await pluginSecretKeys(ctx, id) : []);
  return {
    id,
    name: inventory.namespace,
    version: record.version,
    ...(definition.description ? { description: definition.description } : {}),
    marketplace: parsePluginId(id)!.marketplace,
    // a direct install's source is where it came from: a directory, owner/repo[:path] or git URL
    source: record.directSource ?? entry.source,
    ...(record.gitCommitSha ? { commit: record.gitCommitSha } : {}),
    ...(record.integrity ? { integrity: record.integrity as string } : {}),
    installPath: record.installPath,
    scopes: draft.records(id).map((r) => ({ scope: r.scope, ...(r.projectPath ? { projectPath: r.projectPath } : {}), auto: Boolean(r.auto) })),
    enabled: graph.enabled(id),
    components: {
      skills: inventory.skills.map((s) => s.name),
      commands: inventory.commands.map((c) => c.name),
      agents: inventory.agents.map((a) => a.name),
      hooks: [...new Set(inventory.hooks.flatMap((h) => Object.keys(h.hooks)))],
      mcpServers: inventory.mcpServers.map((m) => m.name),
      lspServers: inventory.lspServers.map((l) => l.name),
      outputStyles: inventory.outputStyles.map((o) => o.name),
      monitors: inventory.monitors.map((m) => m.name),
    },
    dependencies: graph.dependencies(id),
    dependents: graph.dependents(id),
    config: Object.entries(definition.userConfig).map(([key, o]) => ({
      key,
      type: o.type,
      title: o.title,
      required: Boolean(o.required),
      sensitive: Boolean(o.sensitive),
      set: o.sensitive ? secrets.has(key) : key in configured,
      ...(!o.sensitive && key in configured ? { value: configured[key] } : {}),
    })),
    permissions: { declared: definition.permissions ?? null, summary: describePermissions(definition.permissions) },
    problems: inventory.problems.map((p) => `${p.path}: ${p.message}`),
  };
}
