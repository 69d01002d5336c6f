import type { MarketplaceSource, PolicySource } from "../../schemas/marketplace-source.js";
import type { ManagedSettings } from "../../schemas/settings.js";

/**
 * Managed marketplace policy (reference §9): blockedMarketplaces and strictKnownMarketplaces, matched
 * exactly (no URL normalization) or by hostPattern/pathPattern. Returns why a source is blocked, or
 * undefined. Checked before any download.
 */
export function marketplaceBlockReason(source: MarketplaceSource, policy: ManagedSettings): string | undefined {
  const label = describeMarketplaceSource(source);
  if (policy.blockedMarketplaces?.some((p) => policyMatches(p, source))) return `Marketplace source '${label}' is blocked by enterprise policy.`;
  const allow = policy.strictKnownMarketplaces;
  if (allow && !allow.some((p) => policyMatches(p, source))) {
    return allow.length === 0
      ? `Marketplace source '${label}' is blocked by enterprise policy. No external marketplaces are allowed.`
      : `Marketplace source '${label}' is blocked by enterprise policy. Allowed sources: ${allow.map(describePolicySource).join(", ")}`;
  }
  return undefined;
}

export function describeMarketplaceSource(source: MarketplaceSource): string {
  switch (source.source) {
    case "directory":
      return `dir:${source.path}`;
    case "file":
      return `file:${source.path}`;
    case "github":
      return `github:${source.repo}${source.ref ? `#${source.ref}` : ""}`;
    case "git":
      return `git:${source.url}${source.ref ? `#${source.ref}` : ""}`;
    case "url":
      return `url:${source.url}`;
    case "npm":
      return `npm:${source.package}`;
    case "settings":
      return `settings:${source.name}`;
  }
}

function describePolicySource(p: PolicySource): string {
  if ("hostPattern" in p && typeof p.hostPattern === "string") return `hostPattern:${p.hostPattern}`;
  if ("pathPattern" in p && typeof p.pathPattern === "string") return `pathPattern:${p.pathPattern}`;
  if (p.source === "skills-dir") return "skills-dir";
  return describeMarketplaceSource(p as MarketplaceSource);
}

function policyMatches(p: PolicySource, source: MarketplaceSource): boolean {
  if ("hostPattern" in p && typeof p.hostPattern === "string") {
    const host = hostOf(source);
    return host !== undefined && safeRegex(p.hostPattern).test(host);
  }
  if ("pathPattern" in p && typeof p.pathPattern === "string") {
    return (source.source === "directory" || source.source === "file") && safeRegex(p.pathPattern).test(source.path);
  }
  if (p.source !== source.source) return false;
  const keys = ["repo", "url", "ref", "path", "package"] as const;
  const a = p as Record<string, unknown>;
  const b = source as Record<string, unknown>;
  return keys.every((k) => a[k] === b[k]);
}

function hostOf(source: MarketplaceSource): string | undefined {
  if (source.source === "github") return "github.com";
  if (source.source === "git" || source.source === "url") {
    const scp = /^[^@/\s]+@([^:/\s]+):/.exec(source.url);
    if (scp) return scp[1];
    try {
      return new URL(source.url).hostname;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return /(?!)/;
  }
}
