import { normalizeDependency, type DependencySpec, type NormalizedDependency } from "../../schemas/dependency.js";
import type { Finding } from "../../schemas/validation-report.js";

/** One plugin of a marketplace with its dependencies and where each was declared (for finding paths). */
export interface GraphNode {
  name: string;
  index: number;
  deps: { spec: DependencySpec; path: string }[];
}

/**
 * Checks the dependency graph inside one marketplace, over the merged entry + plugin.json declarations
 * (Claude Code checks neither): missing targets, cross-marketplace targets the marketplace does not
 * allowlist, and cycles, reported as a path "a@m → b@m → a@m".
 */
export function dependencyGraphFindings(marketplace: string, nodes: readonly GraphNode[], allowCross: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const edges = new Map<string, { to: string; path: string }[]>();
  for (const node of nodes) {
    const list: { to: string; path: string }[] = [];
    for (const { spec, path } of node.deps) {
      const dep: NormalizedDependency = normalizeDependency(spec);
      const id = `${dep.name}@${dep.marketplace ?? marketplace}`;
      if (dep.marketplace && dep.marketplace !== marketplace) {
        if (!allowCross.includes(dep.marketplace))
          out.push({
            severity: "error",
            code: "cross-marketplace",
            path,
            message: `Dependency "${id}" (required by ${node.name}@${marketplace}) is in marketplace "${dep.marketplace}", which is not in allowCrossMarketplaceDependenciesOn — cross-marketplace dependencies are blocked by default.`,
            hint: `Add "${dep.marketplace}" to allowCrossMarketplaceDependenciesOn in this marketplace.json, or depend on a plugin of this marketplace.`,
          });
        continue;
      }
      if (!byName.has(dep.name)) {
        out.push({ severity: "error", code: "dependency-missing", path, message: `Dependency "${id}" (required by ${node.name}@${marketplace}) is not in this marketplace.` });
        continue;
      }
      if (dep.name !== node.name) list.push({ to: dep.name, path });
    }
    edges.set(node.name, list);
  }
  out.push(...cycleFindings(marketplace, nodes, edges));
  return out;
}

function cycleFindings(marketplace: string, nodes: readonly GraphNode[], edges: Map<string, { to: string; path: string }[]>): Finding[] {
  const out: Finding[] = [];
  const state = new Map<string, "active" | "done">();
  const reported = new Set<string>();
  for (const start of nodes) {
    if (state.has(start.name)) continue;
    // iterative DFS: a stack of (node, next edge index), so deep chains cannot overflow the call stack
    const stack: { name: string; next: number; via?: string }[] = [{ name: start.name, next: 0 }];
    state.set(start.name, "active");
    while (stack.length) {
      const top = stack.at(-1)!;
      const list = edges.get(top.name) ?? [];
      if (top.next >= list.length) {
        state.set(top.name, "done");
        stack.pop();
        continue;
      }
      const edge = list[top.next++]!;
      const s = state.get(edge.to);
      if (s === undefined) {
        state.set(edge.to, "active");
        stack.push({ name: edge.to, next: 0, via: edge.path });
      } else if (s === "active") {
        const from = stack.findIndex((f) => f.name === edge.to);
        const cycle = stack.slice(from).map((f) => f.name);
        const key = [...cycle].sort().join(" ");
        if (reported.has(key)) continue;
        reported.add(key);
        const text = [...cycle, edge.to].map((n) => `${n}@${marketplace}`).join(" → ");
        out.push({ severity: "error", code: "dependency-cycle", path: edge.path, message: `Dependency cycle: ${text}`, hint: "Remove one of these dependencies; agent refuses to install a cycle." });
      }
    }
  }
  return out;
}
