import { AgentError } from "../../schemas/errors.js";
import type { EditableScope } from "../../schemas/settings.js";
import type { InstalledGraph } from "../query/installed-graph.js";
import { graphOf } from "../query/load-installed-graph.js";
import { autoScope, resolveInstalledId } from "../remove/uninstall-plugin.js";
import { scopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";

export interface DisableResult {
  scope: EditableScope;
  disabled: string[];
  alreadyDisabled: string[];
  /** disabled in settings but still loaded because managed settings force it on */
  forcedOn: string[];
}

/**
 * `agent plugin disable <id> | --all`: writes false at the scope; refuses while an enabled plugin depends
 * on the target, printing the chained command that disables the dependents first.
 */
export async function disablePlugin(ctx: StateContext, options: { id: string | undefined; all: boolean; scope: EditableScope | undefined }): Promise<DisableResult> {
  if (!options.id && !options.all) throw new AgentError("E_USAGE", "Please specify a plugin name or use --all to disable all plugins", { hint: "agent plugin disable <plugin> | --all" });
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const { graph } = await graphOf(draft, ctx);
    const id = options.id ? resolveInstalledId(draft, options.id) : undefined;
    const scope = options.scope ?? (id ? autoScope(draft, ctx, id) : "user");
    const target = scopeTarget(ctx, scope);
    const ids = id ? [id] : graph.ids().filter((x) => graph.enabled(x));
    if (id) {
      const dependents = enabledDependents(graph, id);
      if (dependents.length) {
        const direct = graph.dependents(id).filter((d) => dependents.includes(d));
        const chain = disableOrder(graph, [...dependents, id]).map((x) => `agent plugin disable ${x}`).join(" && ");
        throw new AgentError("E_IN_USE", `${short(id)} is still required by ${direct.map(short).join(", ")}. Disable that plugin first, or disable everything together: ${chain}`, {
          details: { id, dependents, command: chain },
        });
      }
    }
    const settings = await draft.settings(target.settingsFile);
    const disabled: string[] = [];
    const alreadyDisabled: string[] = [];
    for (const x of ids) {
      if (settings.enabledPlugins?.[x] === false && !graph.enabled(x)) {
        alreadyDisabled.push(x);
        continue;
      }
      settings.enabledPlugins = { ...settings.enabledPlugins, [x]: false };
      disabled.push(x);
    }
    if (disabled.length) draft.touch(target.settingsFile);
    await draft.commit();
    const forcedOn = disabled.filter((x) => draft.managed.enabledPlugins?.[x] === true);
    return { scope, disabled, alreadyDisabled, forcedOn };
  });
}

/** Enabled plugins that reach `id` through dependencies (transitively). */
function enabledDependents(graph: InstalledGraph, id: string): string[] {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    for (const d of graph.dependents(stack.pop()!)) {
      if (d === id || out.has(d)) continue;
      out.add(d);
      stack.push(d);
    }
  }
  return [...out].filter((d) => graph.enabled(d)).sort();
}

/** Dependents before their dependencies. */
function disableOrder(graph: InstalledGraph, ids: string[]): string[] {
  const set = new Set(ids);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (x: string) => {
    if (seen.has(x)) return;
    seen.add(x);
    for (const d of graph.dependencies(x)) if (set.has(d)) visit(d);
    order.push(x);
  };
  [...ids].sort().forEach(visit);
  return order.reverse();
}

function short(id: string): string {
  return id.slice(0, id.lastIndexOf("@"));
}
