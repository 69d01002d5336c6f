import { summarize } from "./package-summary.js";
import type { PackageSummary, Packument, StoredPackument, VersionManifest } from "./storage.js";
import type { Queryable } from "./postgres-transaction.js";

interface PackageRow {
  name: string;
  description: string | null;
  readme: string | null;
  keywords: string[] | null;
  created: string;
  modified: string;
  rev: string;
  versions: { version: string; manifest: VersionManifest; deprecated: string | null; published: string }[] | null;
  tags: Record<string, string> | null;
  tombstones: Record<string, string> | null;
}

/** One statement, so one snapshot: a packument never mixes two writes. */
const packumentQuery = `
  SELECT p.name, p.description, p.readme, p.keywords, p.created, p.modified, p.rev,
    (SELECT json_agg(json_build_object('version', v.version, 'manifest', v.manifest, 'deprecated', v.deprecated, 'published', v.published) ORDER BY v.seq)
       FROM versions v WHERE v.name = p.name) AS versions,
    (SELECT json_object_agg(t.tag, t.version ORDER BY t.tag) FROM dist_tags t WHERE t.name = p.name) AS tags,
    (SELECT json_object_agg(s.version, s.published) FROM tombstones s WHERE s.name = p.name) AS tombstones
  FROM packages p WHERE p.name = $1`;

/** Builds the full packument of one package; undefined when the package does not exist. */
export async function readPackument(db: Queryable, name: string): Promise<StoredPackument | undefined> {
  const pkg = (await db.query<PackageRow>(packumentQuery, [name])).rows[0];
  if (!pkg) return undefined;
  const time: Record<string, string> = { created: pkg.created, modified: pkg.modified };
  Object.assign(time, pkg.tombstones ?? {});
  const packument: Packument = {
    _id: pkg.name,
    name: pkg.name,
    "dist-tags": pkg.tags ?? {},
    versions: {},
    time,
  };
  for (const row of pkg.versions ?? []) {
    const manifest: VersionManifest = { ...row.manifest };
    if (row.deprecated) manifest.deprecated = row.deprecated;
    else delete manifest.deprecated;
    packument.versions[row.version] = manifest;
    time[row.version] = row.published;
  }
  if (pkg.description !== null) packument.description = pkg.description;
  if (pkg.readme !== null) packument.readme = pkg.readme;
  if (pkg.keywords !== null) packument.keywords = pkg.keywords;
  return { packument, rev: `${pkg.rev}-${pkg.modified}` };
}

interface SummaryRow {
  name: string;
  description: string | null;
  keywords: string[] | null;
  modified: string;
  version: string | null;
  latest: VersionManifest | null;
  owners: string[];
}

/**
 * Listing lines of every package that still has a version, by name: the same facts as
 * package-summary.ts computes from a packument (latest tag, else the newest publish), without
 * reading whole packuments.
 */
export async function readSummaries(db: Queryable): Promise<PackageSummary[]> {
  const rows = (
    await db.query<SummaryRow>(`
      SELECT p.name, p.description, p.keywords, p.modified, l.version, l.manifest AS latest,
        ARRAY(SELECT o.owner FROM owners o WHERE o.name = p.name ORDER BY o.seq) AS owners
      FROM packages p
      CROSS JOIN LATERAL (
        SELECT v.version, v.manifest FROM versions v WHERE v.name = p.name
        ORDER BY (v.version = (SELECT t.version FROM dist_tags t WHERE t.name = p.name AND t.tag = 'latest')) DESC NULLS LAST, v.seq DESC
        LIMIT 1) l
      ORDER BY p.name COLLATE "C"`)
  ).rows;
  return rows.map((row) => {
    const packument: Packument = {
      _id: row.name,
      name: row.name,
      "dist-tags": { latest: row.version! },
      versions: { [row.version!]: row.latest! },
      time: { modified: row.modified },
      ...(row.description !== null ? { description: row.description } : {}),
      ...(row.keywords !== null ? { keywords: row.keywords } : {}),
    };
    return summarize(packument, row.owners)!;
  });
}
