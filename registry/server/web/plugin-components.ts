import { mkdtemp, rm } from "../../files/async-fs.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import { normalizeDependency } from "../../../schemas/dependency.js";
import type { Permissions } from "../../../schemas/permissions.js";
import { pluginInventory, readPluginManifest } from "../../plugin/index.js";

export interface NamedComponent {
  name: string;
  description?: string;
}

export interface ConfigKey {
  key: string;
  title: string;
  description: string;
  type: string;
  required: boolean;
  sensitive: boolean;
}

/** What a published plugin version contributes, as shown on its catalog page. Plain data, cacheable. */
export interface PluginComponents {
  /** the plugin.json name: the marketplace entry name to install */
  pluginName?: string;
  commands: NamedComponent[];
  agents: NamedComponent[];
  skills: NamedComponent[];
  outputStyles: NamedComponent[];
  /** hook event names, e.g. "PreToolUse" */
  hooks: string[];
  mcpServers: string[];
  lspServers: string[];
  monitors: string[];
  permissions?: Permissions;
  userConfig: ConfigKey[];
  /** "name", "name@marketplace", with " (range)" when a version range is declared */
  dependencies: string[];
  /** a short reason when plugin.json could not be read */
  manifestProblem?: string;
}

/**
 * Reads the components of a published plugin from its npm tarball: extracts regular files and
 * directories only (links, absolute and ".." paths are dropped) into a temp dir, then runs the same
 * plugin reader the installer uses on `package/`.
 */
export async function readPluginComponents(tarball: Uint8Array): Promise<PluginComponents> {
  const dir = await mkdtemp(join(tmpdir(), "agent-catalog-"));
  try {
    await pipeline(
      Readable.from([Buffer.from(tarball)]),
      tar.x({ cwd: dir, strict: false, preservePaths: false, filter: (_path, entry) => isPlainEntry(entry) }),
    );
    return componentsOf(join(dir, "package"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isPlainEntry(entry: unknown): boolean {
  const type = (entry as { type?: string }).type;
  return type === "File" || type === "OldFile" || type === "Directory";
}

function componentsOf(root: string): PluginComponents {
  const read = readPluginManifest(root);
  const manifest = read.status === "ok" ? read.manifest : undefined;
  const inventory = pluginInventory(root, manifest, { fallbackName: "plugin" });
  const named = (items: { name: string; frontmatter: { description?: string } }[]) =>
    items.map((item) => (item.frontmatter.description ? { name: item.name, description: item.frontmatter.description } : { name: item.name }));
  const hookEvents = new Set(inventory.hooks.flatMap((set) => Object.keys(set.hooks)));
  return {
    ...(manifest ? { pluginName: manifest.name } : {}),
    commands: named(inventory.commands),
    agents: named(inventory.agents),
    skills: named(inventory.skills),
    outputStyles: named(inventory.outputStyles),
    hooks: [...hookEvents].sort(),
    mcpServers: inventory.mcpServers.map((s) => s.name),
    lspServers: inventory.lspServers.map((s) => s.name),
    monitors: inventory.monitors.map((m) => m.name),
    ...(manifest?.permissions ? { permissions: manifest.permissions } : {}),
    userConfig: Object.entries(manifest?.userConfig ?? {}).map(([key, option]) => ({
      key,
      title: option.title,
      description: option.description,
      type: option.type,
      required: option.required ?? false,
      sensitive: option.sensitive ?? false,
    })),
    dependencies: (manifest?.dependencies ?? []).map((spec) => {
      const dep = normalizeDependency(spec);
      return `${dep.name}${dep.marketplace ? `@${dep.marketplace}` : ""}${dep.range ? ` (${dep.range})` : ""}`;
    }),
    ...(read.status === "invalid" ? { manifestProblem: read.problems.map((p) => `${p.path}: ${p.message}`).join("; ") } : {}),
  };
}
