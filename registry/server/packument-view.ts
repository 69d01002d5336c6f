import type { Packument, VersionManifest } from "./storage/storage.js";

/** Fields of a version an installer needs (npm's "corgi" abbreviated metadata). */
const abbreviatedFields = [
  "name",
  "version",
  "dependencies",
  "optionalDependencies",
  "devDependencies",
  "bundleDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "bin",
  "directories",
  "dist",
  "engines",
  "cpu",
  "os",
  "deprecated",
  "_hasShrinkwrap",
  "hasInstallScript",
  "funding",
  "license",
] as const;

export function withTarballUrl(manifest: VersionManifest, baseUrl: string): VersionManifest {
  return { ...manifest, dist: { ...manifest.dist, tarball: `${baseUrl}/${manifest.dist.tarball}` } };
}

/** The full packument as npm's registry serves it, with absolute tarball URLs and owners as maintainers. */
export function fullPackument(packument: Packument, rev: string, owners: string[], baseUrl: string): Record<string, unknown> {
  const versions: Record<string, VersionManifest> = {};
  for (const [version, manifest] of Object.entries(packument.versions)) versions[version] = withTarballUrl(manifest, baseUrl);
  return { ...packument, _rev: rev, maintainers: owners.map((name) => ({ name })), versions };
}

export function abbreviatedPackument(packument: Packument, baseUrl: string): Record<string, unknown> {
  const versions: Record<string, Record<string, unknown>> = {};
  for (const [version, manifest] of Object.entries(packument.versions)) {
    const short: Record<string, unknown> = {};
    for (const field of abbreviatedFields) if (manifest[field] !== undefined) short[field] = manifest[field];
    short.dist = withTarballUrl(manifest, baseUrl).dist;
    versions[version] = short;
  }
  return { name: packument.name, modified: packument.time.modified, "dist-tags": packument["dist-tags"], versions };
}
