import { normalizeDependency, type DependencySpec } from "../../schemas/dependency.js";
import type { Candidate, ResolverCatalog } from "../../resolver/resolver-types.js";

/** A catalog from plain objects: { market: { allow?: [...], plugins: { name: { "1.0.0": [deps…] } } } }. */
export interface PlainMarketplace {
  allow?: string[];
  plugins: Record<string, Record<string, DependencySpec[]>>;
}

export function plainCatalog(marketplaces: Record<string, PlainMarketplace>): ResolverCatalog & { calls: number } {
  const versions = new Map<string, Candidate[]>();
  for (const [market, m] of Object.entries(marketplaces)) {
    for (const [name, byVersion] of Object.entries(m.plugins)) {
      versions.set(
        `${name}@${market}`,
        Object.entries(byVersion).map(([version, deps]) => ({
          version,
          dependencies: deps.map(normalizeDependency),
          source: { source: "relative", path: `./plugins/${name}`, version },
          resolved: `${market}:./plugins/${name}#${version}`,
          integrity: `sha512-${Buffer.from(`${name}@${market}@${version}`).toString("base64")}`,
        })),
      );
    }
  }
  return {
    calls: 0,
    marketplace(name) {
      const m = marketplaces[name];
      return m ? { name, allowCrossMarketplaceDependenciesOn: m.allow, plugins: Object.keys(m.plugins), manifestPath: `/mk/${name}/.claude-plugin/marketplace.json` } : undefined;
    },
    marketplaceNames: () => Object.keys(marketplaces),
    versions(id) {
      this.calls++;
      return versions.get(id) ?? [];
    },
  };
}

/** Runs fn and returns the AgentError it throws (fails the test if it returns). */
export function thrown(fn: () => unknown): { code: string; message: string; hint?: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; hint?: string; details: Record<string, unknown> };
  }
  throw new Error("expected an error, got a result");
}
