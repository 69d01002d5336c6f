import { join } from "node:path";
import { catalogVersions, diffMarketplaces, recordedCatalog, type MarketplaceChanges } from "../../registry/marketplace/diff-marketplaces.js";
import { readMarketplace } from "../../registry/marketplace/read-marketplace.js";
import { checkPolicy } from "../../registry/sources/policy.js";
import { AgentError, isAgentError, redact } from "../../schemas/errors.js";
import type { KnownMarketplace } from "../../schemas/known-marketplaces.js";
import type { StateContext } from "../state-context.js";
import { loadKnownMarketplaces, loadManagedSettings, saveKnownMarketplaces } from "../state/state-files.js";
import { withStateLock } from "../state/state-lock.js";
import { declaredMarketplaces } from "./declared-marketplaces.js";
import { marketplaceFetchContext } from "./marketplace-fetch-context.js";
import { stageMarketplace } from "./stage-marketplace.js";
import { isoTime } from "../state/iso-time.js";

export interface MarketplaceUpdate {
  name: string;
  ok: boolean;
  /** it was only declared in settings (extraKnownMarketplaces) and is now materialized */
  materialized?: boolean;
  previousCommit?: string;
  commit?: string;
  lastUpdated?: string;
  changes?: MarketplaceChanges;
  error?: { code: string; message: string; hint?: string };
}

/**
 * Re-fetches marketplaces (all known ones, plus those declared in settings but never fetched, when
 * `names` is empty), each staged beside its copy and swapped in only once it parsed; records the new
 * commit and lastUpdated and reports what changed (plugins added, removed, entry versions bumped).
 * Policy is checked before any I/O. One failing marketplace leaves its copy and record untouched and
 * does not stop the others.
 */
export async function updateMarketplaces(state: StateContext, names: string[], log: (line: string) => void): Promise<MarketplaceUpdate[]> {
  const { paths } = state;
  const known = await loadKnownMarketplaces(paths);
  const policy = await loadManagedSettings(paths);
  const declared = await declaredMarketplaces(state, policy);
  for (const name of names) {
    if (!known[name] && !declared.has(name)) {
      throw new AgentError("E_NOT_FOUND", `Marketplace '${name}' not found`, { hint: "Run `agent plugin marketplace list` to see the added marketplaces.", details: { name } });
    }
  }
  const targets = names.length ? names : [...new Set([...Object.keys(known), ...declared.keys()])];
  const results: MarketplaceUpdate[] = [];
  for (const name of targets) {
    const wanted = declared.get(name);
    const record: KnownMarketplace | undefined = known[name];
    const source = record?.source ?? wanted!.source;
    try {
      checkPolicy(source, policy);
      log(`${record ? "Updating" : "Fetching"} marketplace ${name}…`);
      // directory and file marketplaces are read in place: only the snapshot recorded last time shows what changed
      const before = record ? (recordedCatalog(record.catalog) ?? (await readMarketplace(record.installLocation, record.source).then((r) => catalogVersions(r.manifest), () => undefined))) : undefined;
      const staged = await stageMarketplace(source, paths.marketplacesDir, marketplaceFetchContext(paths, state.env, policy, log));
      const after = catalogVersions(staged.read.manifest);
      const lastUpdated = await withStateLock(paths.lockFile, async () => {
        try {
          const installLocation = await staged.commit(join(paths.marketplacesDir, name));
          const current = await loadKnownMarketplaces(paths);
          const now = isoTime();
          const { commit: _old, ...rest } = current[name] ?? record ?? { source, ...(wanted?.scope ? { scope: wanted.scope } : {}) };
          current[name] = { ...rest, installLocation, lastUpdated: now, ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}), catalog: after };
          await saveKnownMarketplaces(paths, current);
          await staged.finish();
          return now;
        } catch (error) {
          await staged.rollback();
          throw error;
        }
      });
      results.push({
        name,
        ok: true,
        ...(record ? {} : { materialized: true }),
        ...(record?.commit ? { previousCommit: record.commit } : {}),
        ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}),
        lastUpdated,
        changes: diffMarketplaces(before, after),
      });
    } catch (error) {
      if (names.length === 1) throw error;
      const e = isAgentError(error) ? error : new AgentError("E_INTERNAL", (error as Error).message);
      results.push({ name, ok: false, error: { code: e.code, message: redact(e.message), ...(e.hint ? { hint: e.hint } : {}) } });
    }
  }
  return results;
}
