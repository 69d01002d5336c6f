export type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Dependencies before dependents: an iterative depth-first post-order, starting points and each node's
 * dependencies visited in id order, so equal graphs give equal orders. The first cycle met is returned as
 * a closed path (`[a, b, c, a]`; `[a, a]` for a self-dependency). Edges to ids not in the graph are ignored.
 */
export function dependencyOrder(graph: ReadonlyMap<string, readonly string[]>): OrderResult {
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  const order: string[] = [];
  const sorted = (ids: readonly string[]): string[] => [...new Set(ids)].filter((id) => graph.has(id)).sort(compareIds);
  for (const start of [...graph.keys()].sort(compareIds)) {
    if (state.has(start)) continue;
    const stack: { id: string; deps: string[]; next: number }[] = [{ id: start, deps: sorted(graph.get(start)!), next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.deps.length) {
        const dep = top.deps[top.next++]!;
        const seen = state.get(dep);
        if (seen === 2) continue;
        if (seen === 1) {
          const from = stack.findIndex((frame) => frame.id === dep);
          return { ok: false, cycle: [...stack.slice(from).map((frame) => frame.id), dep] };
        }
        state.set(dep, 1);
        stack.push({ id: dep, deps: sorted(graph.get(dep)!), next: 0 });
      } else {
        stack.pop();
        state.set(top.id, 2);
        order.push(top.id);
      }
    }
  }
  return { ok: true, order };
}

/** Code-point order: the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
