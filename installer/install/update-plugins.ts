import { AgentError } from "../../schemas/errors.js";
import type { EditableScope } from "../../schemas/settings.js";
import type { Prompter } from "../config/prompter.js";
import { resolveInstalledId } from "../remove/uninstall-plugin.js";
import { scopeTarget, type StateContext } from "../state-context.js";
import { StateDraft } from "../state-draft.js";
import { withState } from "../state-transaction.js";
import { installPlugins, type InstallOptions, type InstallResult } from "./install-plugins.js";

/**
 * `agent plugin update [id…]`: re-fetches each plugin (all at the scope when none is named) and moves it
 * forward when its version, commit or content changed — even when the version string did not — then
 * deletes cache versions nothing references. Policy and widened permissions are checked as at install.
 */
export async function updatePlugins(ctx: StateContext, options: { ids: string[]; scope: EditableScope; yes: boolean; prompt: Prompter | undefined; log(line: string): void; progress?: InstallOptions["progress"] }): Promise<InstallResult> {
  return withState(ctx.paths, async () => {
    const draft = await StateDraft.load(ctx);
    const target = scopeTarget(ctx, options.scope);
    const ids = options.ids.length
      ? options.ids.map((spec) => resolveInstalledId(draft, spec))
      : Object.keys(draft.installed.plugins).filter((id) => draft.recordAt(id, target)).sort();
    if (ids.length === 0) throw new AgentError("E_NOT_INSTALLED", `No plugins are installed at ${options.scope} scope`, { hint: "agent plugin list" });
    return installPlugins(ctx, { specs: ids, scope: options.scope, config: {}, frozen: false, dryRun: false, yes: options.yes, prompt: options.prompt, log: options.log, ...(options.progress ? { progress: options.progress } : {}), update: true });
  });
}
