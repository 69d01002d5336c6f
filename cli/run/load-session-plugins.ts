import { mkdir } from "../../registry/files/async-fs.js";
import { basename, join, resolve } from "node:path";
import type { LoadedPlugin } from "../../host/session/loaded-plugin.js";
import { definePlugin, readManifestIn } from "../../installer/install/plugin-definition.js";
import { loadCatalog } from "../../installer/catalog/load-catalog.js";
import { readPluginSecrets } from "../../installer/config/plugin-secrets.js";
import { graphOf } from "../../installer/query/load-installed-graph.js";
import type { StateContext } from "../../installer/state-context.js";
import { StateDraft } from "../../installer/state-draft.js";
import { settleState } from "../../installer/state-transaction.js";
import { PluginLoadCache } from "./plugin-load-cache.js";
import { mergeMarketplaceEntry, pluginInventory, type PluginInventory } from "../../registry/plugin/index.js";
import { AgentError } from "../../schemas/errors.js";
import type { CatalogEntry, MarketplaceEntry } from "../../schemas/marketplace.js";
import { parsePluginId } from "../../schemas/names.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Settings } from "../../schemas/settings.js";
import type { UserConfig } from "../../schemas/user-config.js";

type ConfigValue = LoadedPlugin["config"][string];

/** CLAUDE_PLUGIN_DATA: <home>/plugins/data/<id with [^A-Za-z0-9_-] → ->. */
export function pluginDataDir(ctx: StateContext, id: string): string {
  return join(ctx.paths.dataDir, id.replace(/[^A-Za-z0-9_-]/g, "-"));
}

/**
 * The enabled, installed plugins of the current directory as a session loads them: effective manifest
 * (plugin.json merged with the marketplace entry), inventory, approved permissions, and userConfig
 * values (defaults, then user/project/local settings, then stored secrets). Also the user and project settings.
 */
export async function loadSessionPlugins(ctx: StateContext, only?: string): Promise<{ plugins: LoadedPlugin[]; userSettings: Settings; projectSettings: Settings[] }> {
  await settleState(ctx.paths);
  const draft = await StateDraft.load(ctx);
  const { graph, scopes } = await graphOf(draft, ctx);
  const settings = await Promise.all(scopes.map((s) => draft.settings(s.settingsFile)));
  const ids = graph.ids().filter((id) => (only ? id === only : graph.enabled(id) && graph.visible(id)));
  const catalog = ids.length ? await loadCatalog(draft.known, ctx.packageRoot) : undefined;
  const cache = PluginLoadCache.open(ctx.paths, ctx.ownHome);
  const plugins = await Promise.all(
    ids.map(async (id) => {
      const record = graph.visible(id) ?? draft.records(id)[0]!;
      const name = parsePluginId(id)!.name;
      const entry: CatalogEntry = catalog?.plugin(id)?.entry ?? { name, source: "./" };
      const files = await cache.files(record, entry, async () => {
        const manifest = await readManifestIn(record.installPath);
        const effective = mergeMarketplaceEntry(manifest, entry as MarketplaceEntry).manifest;
        return { manifest, inventory: pluginInventory(record.installPath, effective, { fallbackName: name }) };
      });
      const definition = definePlugin(entry, files.manifest);
      const configured: Record<string, unknown> = {};
      for (const s of settings) Object.assign(configured, s.pluginConfigs?.[id]?.options);
      return loadedPlugin({
        id,
        root: record.installPath,
        dataDir: pluginDataDir(ctx, id),
        manifest: mergeMarketplaceEntry(files.manifest, entry as MarketplaceEntry).manifest,
        inventory: files.inventory,
        fallbackName: name,
        version: record.version,
        permissions: definition.permissions,
        config: pluginConfig(definition.userConfig, configured, await readPluginSecrets(ctx.paths, id, sensitiveKeys(definition.userConfig))),
      });
    }),
  );
  cache.save();
  return { plugins, userSettings: settings[0]!, projectSettings: settings.slice(1) };
}

/** A session-only plugin from --plugin-dir: "<name>@inline", its manifest's defaults as config. */
export async function loadPluginDir(ctx: StateContext, dir: string): Promise<LoadedPlugin> {
  const root = resolve(ctx.cwd, dir);
  let manifest: PluginManifest | undefined;
  try {
    manifest = await readManifestIn(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR")
      throw new AgentError("E_NOT_FOUND", `--plugin-dir ${dir}: no plugin directory at ${root}`, { hint: "Pass the directory that holds .claude-plugin/plugin.json (or skills/, commands/, hooks/)." });
    throw error;
  }
  const name = manifest?.name ?? basename(root);
  const id = `${name}@inline`;
  return loadedPlugin({ id, root, dataDir: pluginDataDir(ctx, id), manifest, fallbackName: name, version: manifest?.version, permissions: manifest?.permissions, config: pluginConfig(manifest?.userConfig ?? {}, {}, {}) });
}

async function loadedPlugin(p: {
  id: string;
  root: string;
  dataDir: string;
  manifest: PluginManifest | undefined;
  /** already read (remembered from an earlier session); else read from root */
  inventory?: PluginInventory;
  fallbackName: string;
  version: string | undefined;
  permissions: LoadedPlugin["permissions"];
  config: LoadedPlugin["config"];
}): Promise<LoadedPlugin> {
  await mkdir(p.dataDir, { recursive: true });
  const inventory = p.inventory ?? pluginInventory(p.root, p.manifest, { fallbackName: p.fallbackName });
  return {
    id: p.id,
    name: inventory.namespace,
    marketplace: parsePluginId(p.id)!.marketplace,
    ...(p.version ? { version: p.version } : {}),
    root: p.root,
    dataDir: p.dataDir,
    ...(p.manifest ? { manifest: p.manifest } : {}),
    inventory,
    ...(p.permissions ? { permissions: p.permissions } : {}),
    config: p.config,
  };
}

/** The options whose values live in the secret store. */
function sensitiveKeys(schema: UserConfig): string[] {
  return Object.entries(schema).filter(([, option]) => option.sensitive).map(([key]) => key);
}

function pluginConfig(schema: UserConfig, configured: Record<string, unknown>, secrets: Record<string, string>): LoadedPlugin["config"] {
  const config: LoadedPlugin["config"] = {};
  for (const [key, option] of Object.entries(schema)) {
    const value = option.sensitive ? secrets[key] : (configured[key] ?? option.default);
    if (value !== undefined) config[key] = value as ConfigValue;
  }
  return config;
}
