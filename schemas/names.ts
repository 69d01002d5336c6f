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

const impersonationPattern =
  /(?:official[^a-z0-9]*(anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official|^(?:anthropic|claude)[^a-z0-9]*(marketplace|plugins|official))/i;

export function isReservedMarketplaceName(name: string): boolean {
  return (reservedMarketplaceNames as readonly string[]).includes(name.toLowerCase());
}

/** True when a name pretends to be an official Anthropic/Claude marketplace. Exact reserved names are exempt. */
export function impersonatesOfficialMarketplace(name: string): boolean {
  if (isReservedMarketplaceName(name)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[^\x20-\x7e]/.test(name)) return true;
  return impersonationPattern.test(name);
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
