import { AgentError } from "../../schemas/errors.js";
import type { EditableScope } from "../../schemas/settings.js";
import { reachableFrom } from "../query/installed-graph.js";
import { graphOf } from "../query/load-installed-graph.js";
import { autoScope, resolveInstalledId } from "../remove/uninstall-plugin.js";
import { scopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";

export interface EnableResult {
  id: string;
  scope: EditableScope;
  /** dependencies that were disabled and are now enabled too */
  alsoEnabled: string[];
  alreadyEnabled: boolean;
}

/**
 * `agent plugin enable <id>`: an error when the plugin is not installed (Claude Code silently writes true);
 * enables its disabled dependencies at the same scope, and refuses when one is missing, blocked by
 * policy, or would stay disabled by a higher-precedence scope.
 */
export async function enablePlugin(ctx: StateContext, options: { id: string; scope: EditableScope | undefined }): Promise<EnableResult> {
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const id = resolveInstalledId(draft, options.id);
    const scope = options.scope ?? autoScope(draft, ctx, id);
    const target = scopeTarget(ctx, scope);
    const { graph } = await graphOf(draft, ctx);
    const closure = [...reachableFrom(graph, [id])];
    for (const dep of closure) {
      if (!graph.visible(dep)) {
        throw new AgentError("E_NOT_INSTALLED", `Dependency "${dep}" of ${id} is not installed`, { hint: `agent plugin install ${dep}`, details: { id, dependency: dep } });
      }
      if (draft.managed.enabledPlugins?.[dep] === false) {
        throw new AgentError("E_POLICY_BLOCKED", dep === id ? `Plugin "${id}" is blocked by your organization's policy` : `Plugin "${id}" depends on "${dep}", which is blocked by your organization's policy`, { details: { id, dependency: dep } });
      }
    }
    const toEnable = closure.filter((d) => !graph.enabled(d));
    if (toEnable.length === 0) return { id, scope, alsoEnabled: [], alreadyEnabled: true };
    const settings = await draft.settings(target.settingsFile);
    settings.enabledPlugins = { ...settings.enabledPlugins };
    for (const d of toEnable) settings.enabledPlugins[d] = true;
    draft.touch(target.settingsFile);
    const after = (await graphOf(draft, ctx)).graph;
    const stillOff = toEnable.filter((d) => !after.enabled(d));
    if (stillOff.length) {
      const where = after.enabledSource(stillOff[0]!);
      throw new AgentError("E_CONFLICT", `${stillOff.join(", ")} stays disabled: ${where} settings override ${scope} scope`, {
        hint: `agent plugin enable ${id} --scope ${where === "managed" ? scope : where}`,
        details: { id, overriddenBy: where, plugins: stillOff },
      });
    }
    await draft.commit();
    return { id, scope, alsoEnabled: toEnable.filter((d) => d !== id).sort(), alreadyEnabled: false };
  });
}
