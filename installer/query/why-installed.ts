import { resolveInstalledId } from "../remove/uninstall-plugin.js";
import type { StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { settleState } from "../state-transaction.js";
import { graphOf } from "./load-installed-graph.js";

export interface WhyResult {
  id: string;
  /** installed because the user asked for it (not auto) */
  direct: boolean;
  /** every chain from a user-installed plugin down to this one: [root, …, id] */
  chains: string[][];
}

/** `agent plugin why <id>`: the dependency chains that keep a plugin installed. */
export async function whyInstalled(ctx: StateContext, spec: string): Promise<WhyResult> {
  await settleState(ctx.paths);
  const draft = await StateDraft.load(ctx);
  const id = resolveInstalledId(draft, spec);
  const { graph } = await graphOf(draft, ctx);
  const chains: string[][] = [];
  const walk = (node: string, path: string[]) => {
    if (path.includes(node) || chains.length >= 100) return;
    const here = [node, ...path];
    const parents = graph.dependents(node);
    const record = graph.visible(node);
    if (node !== id && record && !record.auto) chains.push(here);
    for (const p of parents) walk(p, here);
  };
  walk(id, []);
  const direct = Boolean(graph.visible(id) && !graph.visible(id)!.auto);
  return { id, direct, chains: chains.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join())) };
}
