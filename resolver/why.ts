import { compareIds } from "./dependency-order.js";
import type { Plan } from "./resolver-types.js";

/**
 * Every dependency chain from a starting point to `target`, each root first and `target` last, in a
 * stable order; at most `limit` chains (diamonds multiply paths). `[target]` alone when it is a start.
 */
export function dependencyChains(
  target: string,
  starts: Iterable<string>,
  depsOf: (id: string) => readonly string[],
  allIds: Iterable<string>,
  limit = 100,
): string[][] {
  const startSet = new Set(starts);
  const dependents = new Map<string, string[]>();
  for (const id of allIds) for (const dep of depsOf(id)) if (dep !== id) (dependents.get(dep) ?? dependents.set(dep, []).get(dep)!).push(id);
  for (const list of dependents.values()) list.sort(compareIds);
  const chains: string[][] = [];
  const path: string[] = [target];
  const onPath = new Set(path);
  const walk = (id: string): void => {
    if (chains.length >= limit) return;
    if (startSet.has(id)) chains.push([...path].reverse());
    for (const parent of dependents.get(id) ?? []) {
      if (onPath.has(parent)) continue;
      path.push(parent);
      onPath.add(parent);
      walk(parent);
      onPath.delete(parent);
      path.pop();
    }
  };
  walk(target);
  return chains.sort((a, b) => compareIds(a.join("\0"), b.join("\0")));
}

/** Why a plan holds `id`: the chains from what was requested (or kept because installed) down to it. */
export function why(plan: Plan, id: string, limit = 100): string[][] {
  const deps = new Map(plan.steps.map((s) => [s.id, s.dependencies]));
  const starts = plan.steps.filter((s) => s.reason.kind !== "dependency").map((s) => s.id);
  return dependencyChains(id, starts, (x) => deps.get(x) ?? [], deps.keys(), limit);
}
