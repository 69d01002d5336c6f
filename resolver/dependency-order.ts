export type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Dependencies before dependents: an iterative depth-first post-order, starting points and each node's
 * dependencies visited in id order, so equal graphs give equal orders. The first cycle met is returned as
 * a closed path (`[a, b, c, a]`; `[a, a]` for a self-dependency). Edges to ids not in the graph are ignored.
 */
export function dependencyOrder(graph: ReadonlyMap<string, readonly string[]>): OrderResult {
  const normalized = new Map<string, string[]>();
  for (const [id, deps] of graph) normalized.set(id, uniqueSorted(deps.filter((dep) => graph.has(dep))));
  return sortedDependencyOrder(normalized, [...graph.keys()].sort(compareIds));
}

/**
 * The same order over a graph already in normal form: every dependency list unique, sorted and inside the
 * graph, and `starts` every id of the graph, sorted.
 */
export function sortedDependencyOrder(graph: ReadonlyMap<string, readonly string[]>, starts: readonly string[]): OrderResult {
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  const order: string[] = [];
  const ids: string[] = [];
  const deps: (readonly string[])[] = [];
  const next: number[] = [];
  const open = (id: string): void => {
    state.set(id, 1);
    ids.push(id);
    deps.push(graph.get(id)!);
    next.push(0);
  };
  for (const start of starts) {
    if (state.has(start)) continue;
    open(start);
    while (ids.length > 0) {
      const top = ids.length - 1;
      const list = deps[top]!;
      if (next[top]! < list.length) {
        const dep = list[next[top]!++]!;
        const seen = state.get(dep);
        if (seen === 2) continue;
        if (seen === 1) return { ok: false, cycle: [...ids.slice(ids.indexOf(dep)), dep] };
        open(dep);
      } else {
        const id = ids.pop()!;
        deps.pop();
        next.pop();
        state.set(id, 2);
        order.push(id);
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
