import { join } from "node:path";
import { diffMarketplaces, type MarketplaceChanges } from "../../registry/marketplace/diff-marketplaces.js";
import { readMarketplace } from "../../registry/marketplace/read-marketplace.js";
import { checkPolicy } from "../../registry/sources/policy.js";
import { AgentError, isAgentError, redact } from "../../schemas/errors.js";
import type { StateContext } from "../state-context.js";
import { loadKnownMarketplaces, loadManagedSettings, saveKnownMarketplaces } from "../state/state-files.js";
import { withStateLock } from "../state/state-lock.js";
import { marketplaceFetchContext } from "./marketplace-fetch-context.js";
import { stageMarketplace } from "./stage-marketplace.js";

export interface MarketplaceUpdate {
  name: string;
  ok: boolean;
  previousCommit?: string;
  commit?: string;
  lastUpdated?: string;
  changes?: MarketplaceChanges;
  error?: { code: string; message: string; hint?: string };
}

/**
 * Re-fetches marketplaces (all known ones when `names` is empty), each staged beside its copy and
 * swapped in only once it parsed; records the new commit and lastUpdated and reports what changed
 * (plugins added, removed, entry versions bumped). One failing marketplace leaves its copy and record
 * untouched and does not stop the others.
 */
export async function updateMarketplaces(state: StateContext, names: string[], log: (line: string) => void): Promise<MarketplaceUpdate[]> {
  const { paths } = state;
  const known = await loadKnownMarketplaces(paths);
  for (const name of names) {
    if (!known[name]) throw new AgentError("E_NOT_FOUND", `Marketplace '${name}' not found`, { hint: "Run `agent plugin marketplace list` to see the added marketplaces.", details: { name } });
  }
  const policy = await loadManagedSettings(paths);
  const results: MarketplaceUpdate[] = [];
  for (const name of names.length ? names : Object.keys(known)) {
    const record = known[name]!;
    try {
      checkPolicy(record.source, policy);
      log(`Updating marketplace ${name}…`);
      const before = await readMarketplace(record.installLocation, record.source).then((r) => r.manifest, () => undefined);
      const staged = await stageMarketplace(record.source, paths.marketplacesDir, marketplaceFetchContext(paths, state.env, policy, log));
      const result = await withStateLock(paths.lockFile, async () => {
        try {
          const installLocation = await staged.commit(join(paths.marketplacesDir, name));
          const current = await loadKnownMarketplaces(paths);
          const lastUpdated = new Date().toISOString();
          const { commit: _old, ...rest } = current[name] ?? record;
          current[name] = { ...rest, installLocation, lastUpdated, ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}) };
          await saveKnownMarketplaces(paths, current);
          await staged.finish();
          return { installLocation, lastUpdated };
        } catch (error) {
          await staged.rollback();
          throw error;
        }
      });
      results.push({
        name,
        ok: true,
        ...(record.commit ? { previousCommit: record.commit } : {}),
        ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}),
        lastUpdated: result.lastUpdated,
        changes: diffMarketplaces(before, staged.read.manifest),
      });
    } catch (error) {
      if (names.length === 1) throw error;
      const e = isAgentError(error) ? error : new AgentError("E_INTERNAL", (error as Error).message);
      results.push({ name, ok: false, error: { code: e.code, message: redact(e.message), ...(e.hint ? { hint: e.hint } : {}) } });
    }
  }
  return results;
}
