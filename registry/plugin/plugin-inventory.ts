import { basename, join } from "node:path";
import { asArray } from "../../schemas/component-path.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import type { Finding } from "../../schemas/validation-report.js";
import { collectHooks, collectLspServers, collectMcpServers, collectMonitors, type HookSet, type McpBundleRef, type Monitor, type NamedConfig } from "./collect-config-components.js";
import { collectAgents, collectCommands, collectOutputStyles, collectSkills, type Agent, type Command, type OutputStyle, type Skill } from "./collect-markdown-components.js";
import { checkInside, filesWithExtensionIn, kindIn, makeScanContext, resolveComponentPath } from "./scan-context.js";
import type { LspServer } from "../../schemas/lsp.js";
import type { McpServer } from "../../schemas/mcp.js";

export type { Agent, Command, OutputStyle, Skill, HookSet, McpBundleRef, Monitor, NamedConfig };

/** Everything a plugin contributes, as read from disk (reference §2.3, §2.5, §10). Pure data. */
export interface PluginInventory {
  /** absolute plugin root */
  root: string;
  /** the plugin.json name (or the fallback): skills, commands and agents are "<namespace>:<name>" */
  namespace: string;
  skills: Skill[];
  commands: Command[];
  agents: Agent[];
  outputStyles: OutputStyle[];
  /** hooks/hooks.json first, then the manifest's hooks, in declaration order (all of them run) */
  hooks: HookSet[];
  mcpServers: NamedConfig<McpServer>[];
  mcpBundles: McpBundleRef[];
  lspServers: NamedConfig<LspServer>[];
  monitors: NamedConfig<Monitor>[];
  /** theme JSON files (experimental) */
  themes: string[];
  /** absolute bin/ directory, added to the Bash tool's PATH while the plugin is enabled */
  bin?: string;
  /** absolute root settings.json (only `agent` and `subagentStatusLine` are honoured) */
  settingsFile?: string;
  /** e.g. 'Default commands/ folder is ignored because the manifest sets "commands"' */
  notes: string[];
  /** what could not be read: missing paths, symlink escapes, broken frontmatter, bad hooks/MCP/LSP files */
  problems: Finding[];
}

export interface InventoryOptions {
  /** name used when there is no manifest (marketplace entry name, or the directory name) */
  fallbackName?: string;
  /** the marketplace entry's source is the marketplace root: listed `skills` replace the skills/ scan (§2.3) */
  sourceIsMarketplaceRoot?: boolean;
  /** put before every problem path, e.g. "plugins[2] → " */
  prefix?: string;
  /** the root's real path, when the caller already resolved it (saves resolving it again) */
  realRoot?: string;
}

/**
 * Lists a plugin's components with the replace/add/merge rules of §2.3: `commands`, `agents`,
 * `outputStyles`, themes and monitors replace their default folder; `skills` adds to skills/;
 * hooks, MCP and LSP servers merge with hooks/hooks.json, .mcp.json and .lsp.json.
 * `manifest` is the effective manifest (plugin.json, merged with its marketplace entry), or undefined.
 * Never throws on bad plugin contents: they come back in `problems`.
 */
export function pluginInventory(root: string, manifest: PluginManifest | undefined, options: InventoryOptions = {}): PluginInventory {
  const ctx = makeScanContext(root, options.prefix, options.realRoot);
  const m: PluginManifest = manifest ?? { name: options.fallbackName ?? basename(ctx.root) };
  const namespace = m.name;
  const replaceSkills = Boolean(options.sourceIsMarketplaceRoot) && asArray(m.skills).some((p) => kindIn(ctx, join(ctx.root, p)) !== undefined);
  const mcp = collectMcpServers(ctx, m);
  const inventory: PluginInventory = {
    root: ctx.root,
    namespace,
    skills: collectSkills(ctx, m, namespace, replaceSkills),
    commands: collectCommands(ctx, m, namespace),
    agents: collectAgents(ctx, m, namespace),
    outputStyles: collectOutputStyles(ctx, m, namespace),
    hooks: collectHooks(ctx, m),
    mcpServers: mcp.servers,
    mcpBundles: mcp.bundles,
    lspServers: collectLspServers(ctx, m),
    monitors: collectMonitors(ctx, m),
    themes: collectThemes(ctx, m),
    notes: ctx.notes,
    problems: ctx.problems,
  };
  const bin = join(ctx.root, "bin");
  if (kindIn(ctx, bin) === "dir" && checkInside(ctx, bin, "bin")) inventory.bin = bin;
  const settings = join(ctx.root, "settings.json");
  if (kindIn(ctx, settings) === "file") inventory.settingsFile = settings;
  return inventory;
}

function collectThemes(ctx: ReturnType<typeof makeScanContext>, m: PluginManifest): string[] {
  const key = m.experimental?.themes !== undefined ? "experimental.themes" : "themes";
  const field = m.experimental?.themes ?? m.themes;
  if (field === undefined) return filesWithExtensionIn(ctx, join(ctx.root, "themes"), ".json");
  if (kindIn(ctx, join(ctx.root, "themes")) === "dir") ctx.notes.push(`Default themes/ folder is ignored because the manifest sets "${key}"`);
  return asArray(field).flatMap((rel, i) => {
    const resolved = resolveComponentPath(ctx, rel, Array.isArray(field) ? `${key}[${i}]` : key);
    if (!resolved) return [];
    return resolved.kind === "dir" ? filesWithExtensionIn(ctx, resolved.abs, ".json") : [resolved.abs];
  });
}
