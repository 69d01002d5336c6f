import { compareIds } from "./dependency-order.js";

export interface InstalledEntry {
  id: string;
  /** installed as a dependency of another plugin */
  auto?: boolean;
}

/** Every id reachable from `roots` through `depsOf` (roots included). */
export function reachable(roots: Iterable<string>, depsOf: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of depsOf(id)) if (!seen.has(dep)) stack.push(dep);
  }
  return seen;
}

/**
 * Auto-installed plugins nothing enabled still needs, sorted by id. `depsOf` must give the MERGED
 * dependencies (marketplace entry + plugin.json): Claude Code walks only plugin.json and so prunes
 * dependencies an entry still declares. `enabledRoots` are the plugins that hold their dependencies
 * (the caller decides; normally the enabled, manually installed ones). A cycle of auto plugins that no
 * root reaches is pruned as a whole.
 */
export function orphans(installed: Iterable<InstalledEntry>, enabledRoots: Iterable<string>, depsOf: (id: string) => readonly string[]): string[] {
  const needed = reachable(enabledRoots, depsOf);
  const out: string[] = [];
  for (const entry of installed) if (entry.auto === true && !needed.has(entry.id)) out.push(entry.id);
  return out.sort(compareIds);
}

/**
 * The enabled plugins that still need `target`, directly or transitively, in an order that can be
 * disabled one by one (each before anything it depends on): `blockers` for the message, `order`
 * (ending with `target`) for a hint such as `agent plugin disable a@m && agent plugin disable b@m`.
 */
export function blockingDependents(target: string, enabled: Iterable<string>, depsOf: (id: string) => readonly string[]): { direct: string[]; transitive: string[]; order: string[] } {
  const enabledSet = new Set(enabled);
  const dependents = new Map<string, string[]>();
  for (const id of enabledSet) for (const dep of depsOf(id)) if (dep !== id) (dependents.get(dep) ?? dependents.set(dep, []).get(dep)!).push(id);
  const direct = [...new Set(dependents.get(target) ?? [])].filter((id) => id !== target).sort(compareIds);
  const transitive = [...reachable([target], (id) => dependents.get(id) ?? [])].filter((id) => id !== target).sort(compareIds);
  // dependents first: a post-order over "is depended on by", reversed
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    done.add(id);
    for (const parent of [...(dependents.get(id) ?? [])].sort(compareIds)) visit(parent);
    order.push(id);
  };
  visit(target);
  return { direct, transitive, order: order.filter((id) => id === target || transitive.includes(id)) };
}
