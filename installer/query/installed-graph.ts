import { normalizeDependency, type DependencySpec } from "../../schemas/dependency.js";
import type { InstallRecord } from "../../schemas/installed-plugins.js";
import { formatPluginId, parsePluginId } from "../../schemas/names.js";
import type { ManagedSettings, Settings } from "../../schemas/settings.js";
import { sameScope } from "../state-draft.js";
import type { ScopeTarget } from "../state-context.js";

/**
 * Installed plugins as seen from one place (the current directory): which records are visible, which are
 * enabled (managed > local > project > user), and their dependencies — the merged entry + plugin.json list
 * recorded at install time (records Claude Code wrote fall back to the cached plugin.json).
 */
export interface InstalledGraph {
  ids(): string[];
  /** the record that applies here: local, then project, then user */
  visible(id: string): InstallRecord | undefined;
  enabled(id: string): boolean;
  /** where the enabled value that wins comes from */
  enabledSource(id: string): "managed" | "local" | "project" | "user" | undefined;
  dependencies(id: string): string[];
  /** visible plugins that list `id` as a dependency */
  dependents(id: string): string[];
}

export interface GraphInput {
  plugins: Record<string, InstallRecord[]>;
  /** user, project, local: lowest precedence first */
  scopes: { target: ScopeTarget; settings: Settings }[];
  managed: ManagedSettings;
}

export async function buildInstalledGraph(input: GraphInput): Promise<InstalledGraph> {
  const visible = new Map<string, InstallRecord>();
  for (const [id, records] of Object.entries(input.plugins)) {
    for (const { target } of [...input.scopes].reverse()) {
      const record = records.find((r) => sameScope(r, target));
      if (record) {
        visible.set(id, record);
        break;
      }
    }
  }
  const deps = new Map<string, string[]>();
  await Promise.all([...visible].map(async ([id, record]) => deps.set(id, await recordDependencies(id, record))));
  const enabledSource = (id: string): "managed" | "local" | "project" | "user" | undefined => {
    if (typeof input.managed.enabledPlugins?.[id] === "boolean") return "managed";
    for (const { target, settings } of [...input.scopes].reverse()) if (settings.enabledPlugins?.[id] !== undefined) return target.scope;
    return undefined;
  };
  const enabled = (id: string): boolean => {
    const source = enabledSource(id);
    if (source === "managed") return input.managed.enabledPlugins![id] === true;
    if (!source) return false;
    const value = input.scopes.find((s) => s.target.scope === source)!.settings.enabledPlugins![id];
    return value !== false;
  };
  return {
    ids: () => [...visible.keys()].sort(),
    visible: (id) => visible.get(id),
    enabled: (id) => visible.has(id) && enabled(id),
    enabledSource,
    dependencies: (id) => deps.get(id) ?? [],
    dependents: (id) => [...deps].filter(([, d]) => d.includes(id)).map(([other]) => other).sort(),
  };
}

/** The dependency ids of an installed plugin. */
export async function recordDependencies(id: string, record: InstallRecord): Promise<string[]> {
  if (Array.isArray(record.dependencies)) return record.dependencies as string[];
  const market = parsePluginId(id)?.marketplace ?? "";
  // only records Claude Code wrote get here: the manifest schema loads for them alone, keeping `list` lean
  const { readManifestIn } = await import("../install/plugin-definition.js");
  const manifest = await readManifestIn(record.installPath).catch(() => undefined);
  return (manifest?.dependencies ?? []).map((d: DependencySpec) => {
    const n = normalizeDependency(d);
    return formatPluginId(n.name, n.marketplace ?? market);
  });
}

/** Every id reachable from `roots` over dependencies (roots included). */
export function reachableFrom(graph: InstalledGraph, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...graph.dependencies(id));
  }
  return seen;
}
