import type { PackageSummary, Packument, SearchQuery, SearchResult } from "./storage.js";

/** The listing line of a package: its latest version's facts; undefined once every version is unpublished. */
export function summarize(packument: Packument, owners: string[]): PackageSummary | undefined {
  const latest = packument["dist-tags"].latest ?? Object.keys(packument.versions).at(-1);
  const manifest = latest ? packument.versions[latest] : undefined;
  if (!latest || !manifest) return undefined;
  const description = typeof manifest.description === "string" ? manifest.description : packument.description;
  const keywords = Array.isArray(manifest.keywords) ? (manifest.keywords as unknown[]).filter((k): k is string => typeof k === "string") : packument.keywords;
  return {
    name: packument.name,
    version: latest,
    ...(description ? { description } : {}),
    ...(keywords?.length ? { keywords } : {}),
    modified: packument.time.modified ?? packument.time[latest] ?? new Date(0).toISOString(),
    owners,
  };
}

/** Every word of the text must appear in the name, description or keywords (case-insensitive). */
export function searchSummaries(all: PackageSummary[], query: SearchQuery): SearchResult {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = all.filter((summary) => {
    const haystack = [summary.name, summary.description ?? "", ...(summary.keywords ?? [])].join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  return { total: matches.length, packages: matches.slice(query.from, query.from + query.size) };
}
