import { mkdtemp, rm } from "../../registry/files/async-fs.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BundleManifest, BundledPlugin } from "../../schemas/bundle.js";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import { collectFiles } from "../archive/collect-files.js";
import { packTarball, type PackedTarball, type PackFile } from "../archive/pack-tarball.js";
import { findPlugin } from "../catalog/find-plugin.js";
import { loadCatalog } from "../catalog/load-catalog.js";
import { stagePlugin } from "../install/cache-plugin.js";
import { withDirectPlugins } from "./direct-catalog.js";
import { localPluginDir } from "../install/fetch-plugin.js";
import { definePlugin, readManifestIn } from "../install/plugin-definition.js";
import { admitPlugin } from "../policy/admit-plugin.js";
import { resolvePlan } from "../resolve-plan.js";
import type { StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";

export interface CreatedBundle extends PackedTarball {
  manifest: BundleManifest;
}

/**
 * `agent plugin bundle`: resolves the plugins with the install path's catalog, policy and resolver,
 * fetches each (network allowed here), and packs them with their marketplaces' entries into one
 * deterministic .tgz that `agent plugin install <file>` installs with no network:
 *
 *   bundle/bundle.json                                   ids, versions, tree integrity per plugin
 *   bundle/marketplaces/<m>/.claude-plugin/marketplace.json   entries with ./plugins/<name> sources
 *   bundle/marketplaces/<m>/plugins/<name>/…             the plugin as the cache would hold it
 */
export async function createBundle(ctx: StateContext, specs: string[], log: (line: string) => void): Promise<CreatedBundle> {
  const draft = await StateDraft.load(ctx);
  // plugins installed straight from a directory, GitHub or git URL bundle like any other
  const catalog = withDirectPlugins(await loadCatalog(draft.known, ctx.packageRoot), draft.installed, []);
  const plan = await resolvePlan({
    roots: specs.map((s) => findPlugin(catalog, s)),
    catalog,
    admit: (plugin, requiredBy) => admitPlugin(draft.managed, plugin, requiredBy),
    define: async (plugin) => {
      const dir = localPluginDir(plugin);
      return definePlugin(plugin.entry, dir ? await readManifestIn(dir) : undefined);
    },
    installedVersion: () => undefined,
  });
  const scratch = await mkdtemp(join(tmpdir(), "agent-bundle-"));
  const files: PackFile[] = [];
  const plugins: BundledPlugin[] = [];
  const entries = new Map<string, MarketplaceEntry[]>();
  const access = { env: ctx.env, log, policy: draft.managed, home: ctx.paths.home, npmCacheDir: ctx.paths.npmCacheDir };
  try {
    for (const node of plan.order) {
      log(`Fetching ${node.id}…`);
      const staged = await stagePlugin(node.plugin, node.definition, scratch, access);
      const market = node.plugin.marketplace.name;
      const base = `marketplaces/${market}/plugins/${node.plugin.name}/`;
      const { files: tree } = await collectFiles(staged.dir, { keepLinks: true });
      files.push(...tree.map((f) => ({ ...f, path: base + f.path })));
      await rm(staged.dir, { recursive: true, force: true });
      plugins.push({ id: node.id, name: node.plugin.name, marketplace: market, version: staged.version, integrity: staged.integrity, ...(staged.commit ? { commit: staged.commit } : {}), dependencies: node.dependencies, root: node.root });
      const entry = { ...(node.plugin.entry as MarketplaceEntry), source: `./plugins/${node.plugin.name}`, version: staged.version };
      entries.set(market, [...(entries.get(market) ?? []), entry]);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const marketplaces: BundleManifest["marketplaces"] = {};
  for (const [name, list] of entries) {
    const market = catalog.marketplaces.get(name)!;
    marketplaces[name] = { source: market.source, ...(market.commit ? { commit: market.commit } : {}) };
    const { plugins: _all, ...rest } = market.manifest;
    files.push(jsonFile(`marketplaces/${name}/.claude-plugin/marketplace.json`, { ...rest, name, plugins: list }));
  }
  const manifest: BundleManifest = { format: "agent-plugin-bundle", formatVersion: 1, roots: plan.order.filter((n) => n.root).map((n) => n.id), marketplaces, plugins };
  files.push(jsonFile("bundle.json", manifest));
  return { ...packTarball(files, "bundle/"), manifest };
}

function jsonFile(path: string, value: unknown): PackFile {
  return { path, data: Buffer.from(`${JSON.stringify(value, null, 2)}\n`), executable: false };
}
