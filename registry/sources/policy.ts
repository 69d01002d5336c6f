import { AgentError } from "../../schemas/errors.js";
import type { MarketplaceSource, PolicySource } from "../../schemas/marketplace-source.js";
import type { ManagedSettings } from "../../schemas/settings.js";

/**
 * Managed marketplace policy (reference §9), pure: `strictKnownMarketplaces` (undefined = open,
 * [] = locked down, else an allowlist) and `blockedMarketplaces`. Entries match a source exactly (no URL
 * normalization: repo/url + ref + path, the full url, the package, the path), or by `hostPattern`
 * (github → github.com; git/url → the URL's host; scp-like ssh → its host) or `pathPattern` (the path
 * of file/directory sources).
 */
export type PolicyVerdict = { allowed: true } | { allowed: false; reason: string; source: string; allowedSources?: string[] };

export function evaluatePolicy(source: MarketplaceSource, policy: Pick<ManagedSettings, "strictKnownMarketplaces" | "blockedMarketplaces">): PolicyVerdict {
  const key = sourceKey(source);
  if (policy.blockedMarketplaces?.some((entry) => policyEntryMatches(entry, source))) {
    return { allowed: false, source: key, reason: `Marketplace source '${key}' is blocked by enterprise policy.` };
  }
  const allow = policy.strictKnownMarketplaces;
  if (allow === undefined || allow.some((entry) => policyEntryMatches(entry, source))) return { allowed: true };
  const allowedSources = allow.map(policyEntryKey);
  const tail = allow.length === 0 ? "No external marketplaces are allowed." : `Allowed sources: ${allowedSources.join(", ")}`;
  return { allowed: false, source: key, allowedSources, reason: `Marketplace source '${key}' is blocked by enterprise policy. ${tail}` };
}

/** Throws E_POLICY_BLOCKED naming the source and the allowed list; call before any I/O. */
export function checkPolicy(source: MarketplaceSource, policy: Pick<ManagedSettings, "strictKnownMarketplaces" | "blockedMarketplaces">): void {
  const verdict = evaluatePolicy(source, policy);
  if (verdict.allowed) return;
  throw new AgentError("E_POLICY_BLOCKED", verdict.reason, {
    hint: "Your organization's managed settings (strictKnownMarketplaces / blockedMarketplaces) decide which marketplaces may be used; ask your administrator.",
    details: { source: verdict.source, ...(verdict.allowedSources ? { allowed: verdict.allowedSources } : {}) },
  });
}

/** The text naming a source in policy messages, as Claude Code writes it: dir:/abs, github:owner/repo … */
export function sourceKey(source: MarketplaceSource): string {
  switch (source.source) {
    case "directory":
      return `dir:${source.path}`;
    case "file":
      return `file:${source.path}`;
    case "github":
      return `github:${source.repo}${source.ref ? `@${source.ref}` : ""}${source.path ? `:${source.path}` : ""}`;
    case "git":
      return `git:${source.url}${source.ref ? `@${source.ref}` : ""}${source.path ? `:${source.path}` : ""}`;
    case "url":
      return `url:${source.url}`;
    case "npm":
      return `npm:${source.package}`;
    case "settings":
      return `settings:${source.name}`;
  }
}

export function policyEntryKey(entry: PolicySource): string {
  if ("hostPattern" in entry && typeof entry.hostPattern === "string") return `hostPattern:${entry.hostPattern}`;
  if ("pathPattern" in entry && typeof entry.pathPattern === "string") return `pathPattern:${entry.pathPattern}`;
  if (entry.source === "skills-dir") return "skills-dir";
  return sourceKey(entry as MarketplaceSource);
}

function policyEntryMatches(entry: PolicySource, source: MarketplaceSource): boolean {
  if ("hostPattern" in entry && typeof entry.hostPattern === "string") {
    const host = sourceHost(source);
    return host !== undefined && patternOf(entry.hostPattern).test(host);
  }
  if ("pathPattern" in entry && typeof entry.pathPattern === "string") {
    return (source.source === "directory" || source.source === "file") && patternOf(entry.pathPattern).test(source.path);
  }
  if (entry.source !== source.source) return false;
  const a = entry as Record<string, unknown>;
  const b = source as Record<string, unknown>;
  switch (source.source) {
    case "github":
    case "git":
      return a.repo === b.repo && a.url === b.url && a.ref === b.ref && a.path === b.path;
    case "url":
      return a.url === b.url;
    case "npm":
      return a.package === b.package;
    case "file":
    case "directory":
      return a.path === b.path;
    case "settings":
      return a.name === b.name;
  }
}

export function sourceHost(source: MarketplaceSource): string | undefined {
  if (source.source === "github") return "github.com";
  if (source.source !== "git" && source.source !== "url") return undefined;
  const scp = /^[^@/\s]+@([^:/\s]+):/.exec(source.url);
  if (scp) return scp[1];
  try {
    return new URL(source.url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function patternOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return /(?!)/; // an invalid pattern matches nothing: it never opens the allowlist
  }
}
