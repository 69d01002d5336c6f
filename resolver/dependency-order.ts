export type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Dependencies before dependents: an iterative depth-first post-order, starting points and each node's
 * dependencies visited in id order, so equal graphs give equal orders. The first cycle met is returned as
 * a closed path (`[a, b, c, a]`; `[a, a]` for a self-dependency). Edges to ids not in the graph are ignored.
 */
export function dependencyOrder(graph: ReadonlyMap<string, readonly string[]>): OrderResult {
  const normalized = new Map<string, string[]>();
  for (const [id, deps] of graph) normalized.set(id, uniqueSorted(deps.filter((dep) => graph.has(dep))));
  return sortedDependencyOrder([...graph.keys()].sort(compareIds), (id) => normalized.get(id)!, (id) => id);
}

/**
 * The same order over a graph already in normal form: every node's dependency list unique, sorted and
 * inside the graph, and `starts` every node, sorted. Nodes are anything with an id (ids or plugin states).
 */
export function sortedDependencyOrder<T>(starts: readonly T[], dependenciesOf: (node: T) => readonly T[], idOf: (node: T) => string): { ok: true; order: T[] } | { ok: false; cycle: string[] } {
  const state = new Map<T, 1 | 2>(); // 1: on the stack, 2: done
  const order: T[] = [];
  const nodes: T[] = [];
  const deps: (readonly T[])[] = [];
  const next: number[] = [];
  const open = (node: T): void => {
    state.set(node, 1);
    nodes.push(node);
    deps.push(dependenciesOf(node));
    next.push(0);
  };
  for (const start of starts) {
    if (state.has(start)) continue;
    open(start);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const list = deps[top]!;
      if (next[top]! < list.length) {
        const dep = list[next[top]!++]!;
        const seen = state.get(dep);
        if (seen === 2) continue;
        if (seen === 1) return { ok: false, cycle: [...nodes.slice(nodes.indexOf(dep)), dep].map(idOf) };
        open(dep);
      } else {
        const node = nodes.pop()!;
        deps.pop();
        next.pop();
        state.set(node, 2);
        order.push(node);
      }
    }
  }
  return { ok: true, order };
}

/** Sorted by compareIds, duplicates dropped; a new array. */
export function uniqueSorted(ids: readonly string[]): string[] {
  const sorted = ids.slice().sort(compareIds);
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i]!;
  sorted.length = kept;
  return sorted;
}

/** Code-point order: the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
