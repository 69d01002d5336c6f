import { preloadMarketplaceHandler } from "../../registry/sources/index.js";
import { evaluatePolicy } from "../../registry/sources/policy.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { StatePaths } from "../state-paths.js";
import { marketplaceFetchContext } from "./marketplace-fetch-context.js";
import { readMarketplacePolicy } from "./read-marketplace-policy.js";
import { startStaging, type StagedMarketplace } from "./stage-marketplace.js";

/**
 * Starts fetching a marketplace for `add` right after its argument is parsed, so git or the download
 * runs while the rest of the CLI (settings schemas) loads. Only when the managed policy, read the light
 * way, allows the source; otherwise (blocked, or policy unreadable that way) nothing starts and
 * addMarketplace reports or decides after its full policy check, before any I/O as always.
 */
export async function prefetchMarketplace(paths: StatePaths, env: NodeJS.ProcessEnv, source: MarketplaceSource, log: (line: string) => void): Promise<{ staging?: Promise<StagedMarketplace> }> {
  preloadMarketplaceHandler(source); // code only, while the policy files are read
  const policy = await readMarketplacePolicy(paths);
  if (!policy || !evaluatePolicy(source, policy).allowed) return {};
  // returns once the fetch has started (a git source: git is running), so the caller's module loading cannot delay it
  const { staged } = await startStaging(source, paths.marketplacesDir, marketplaceFetchContext(paths, env, policy, log));
  return { staging: staged }; // wrapped: awaiting this must not wait for the fetch
}
