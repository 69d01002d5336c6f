import { basename, dirname, join } from "node:path";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";

/** Where marketplace.json sits inside a marketplace directory: `path` of a git/github source, else the default. */
export function manifestPathIn(source?: MarketplaceSource): string {
  if ((source?.source === "git" || source?.source === "github") && source.path) return source.path;
  return join(".claude-plugin", "marketplace.json");
}

/**
 * Where relative sources of a marketplace file resolve. Claude Code uses dirname(dirname(file)) at
 * install (assuming .claude-plugin/) but dirname(file) in validate (reference §14, weakness 5); agent
 * uses the marketplace root when the file sits in .claude-plugin/, else the file's own directory.
 * Downloaded files (url) have no directory to resolve against.
 */
export function fileMarketplaceRoot(file: string, source?: MarketplaceSource): string | undefined {
  if (source?.source === "url") return undefined;
  const dir = dirname(file);
  return basename(dir) === ".claude-plugin" ? dirname(dir) : dir;
}
