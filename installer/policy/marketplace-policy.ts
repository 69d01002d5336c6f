import { evaluatePolicy } from "../../registry/sources/policy.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { ManagedSettings } from "../../schemas/settings.js";

/**
 * Why managed policy (reference §9) blocks a marketplace source, or undefined when it may be used. The
 * rules live in one place, registry/sources/policy.ts, which also guards every fetch.
 */
export function marketplaceBlockReason(source: MarketplaceSource, policy: ManagedSettings): string | undefined {
  const verdict = evaluatePolicy(source, policy);
  return verdict.allowed ? undefined : verdict.reason;
}
