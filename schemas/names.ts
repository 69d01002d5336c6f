// Plugin and marketplace names and IDs, without zod (the installer reads and checks them on every
// command); their zod schemas are in name-schemas.ts.

/** Names a dependency, a marketplace key or a plugin ID part may take (reference §2.4). */
export const identifierPattern = /^[A-Za-z0-9][-A-Za-z0-9._]*$/;
export const pluginIdPattern = /^[A-Za-z0-9][-A-Za-z0-9._]*@[A-Za-z0-9][-A-Za-z0-9._]*$/;
export const kebabCasePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const userConfigKeyPattern = /^[A-Za-z_]\w*$/;

/** Pseudo-marketplaces that never name a real marketplace. */
export const pseudoMarketplaceNames = ["inline", "builtin", "skills-dir"] as const;

/** Names Anthropic reserves for its own marketplaces (reference §3.2). */
export const reservedMarketplaceNames = [
  "claude-code-marketplace",
  "claude-code-plugins",
  "claude-plugins-official",
  "anthropic-marketplace",
  "anthropic-plugins",
  "agent-skills",
  "anthropic-agent-skills",
  "life-sciences",
  "knowledge-work-plugins",
  "claude-for-legal",
  "claude-for-financial-services",
  "financial-services-plugins",
  "claude-community",
  "claude-plugins-community",
] as const;

export function isReservedMarketplaceName(name: string): boolean {
  return (reservedMarketplaceNames as readonly string[]).includes(name.toLowerCase());
}

/**
 * Whether a marketplace name poses as Anthropic's own (reference §2.2): "official" and a brand next to
 * each other in either order, or a brand then "marketplace", "plugins" or "official" at the start, with
 * only separators (anything but letters and digits) between, case-insensitively; or any character that
 * is not printable ASCII. The reserved names themselves are Anthropic's and pass. It is the regular
 * expression `official[^a-z0-9]*(anthropic|claude)|(anthropic|claude)[^a-z0-9]*official|^(anthropic|
 * claude)[^a-z0-9]*(marketplace|plugins|official)` (flag i), written out: V8 compiles that expression
 * on first use, ~0.5 ms of every command that reads a marketplace name (test/schemas/names.test.ts holds
 * the two equal).
 */
export function impersonatesOfficialMarketplace(name: string): boolean {
  if (isReservedMarketplaceName(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return true;
  }
  const s = name.toLowerCase();
  for (let at = s.indexOf("official"); at >= 0; at = s.indexOf("official", at + 1)) {
    if (brands.some((brand) => s.startsWith(brand, pastSeparators(s, at + 8)))) return true;
  }
  for (const brand of brands) {
    for (let at = s.indexOf(brand); at >= 0; at = s.indexOf(brand, at + 1)) {
      const next = pastSeparators(s, at + brand.length);
      if (s.startsWith("official", next) || (at === 0 && (s.startsWith("marketplace", next) || s.startsWith("plugins", next)))) return true;
    }
  }
  return false;
}

const brands = ["anthropic", "claude"];

/** The index of the first letter or digit of lowercase `s` from `i` on (its length when none). */
function pastSeparators(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) break;
  }
  return i;
}

export function formatPluginId(name: string, marketplace: string): string {
  return `${name}@${marketplace}`;
}

export function parsePluginId(id: string): { name: string; marketplace: string } | undefined {
  if (!pluginIdPattern.test(id)) return undefined;
  const at = id.lastIndexOf("@");
  return { name: id.slice(0, at), marketplace: id.slice(at + 1) };
}

/** Directory name for a plugin's persistent data: the ID with [^A-Za-z0-9_-] replaced by "-" (reference §14.10). */
export function sanitizePluginIdForPath(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "-");
}
