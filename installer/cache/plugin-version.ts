export interface VersionInputs {
  manifestVersion?: string | undefined;
  entryVersion?: string | undefined;
  /** the semver a git tag `{name}--v{version}` resolved to */
  tagVersion?: string | undefined;
  /** full commit SHA of a git-backed source */
  commit?: string | undefined;
  /** the path of a git-subdir source */
  subdirPath?: string | undefined;
  /** the package version of an npm source */
  packageVersion?: string | undefined;
}

/**
 * Claude Code's version rule (reference §5.1), which is also the cache key: a tag-resolved version
 * `<semver>-<sha12>`; plugin.json version; entry version; `<sha12>` (`<sha12>-<sha256(path)[:8]>` for
 * git-subdir); and instead of Claude Code's "unknown" for npm packages, the package version.
 */
export async function pluginVersion(v: VersionInputs): Promise<string> {
  const sha12 = v.commit?.slice(0, 12);
  if (v.tagVersion && sha12) return `${v.tagVersion}-${sha12}`;
  if (v.manifestVersion) return v.manifestVersion;
  if (v.entryVersion) return v.entryVersion;
  if (sha12 && v.subdirPath !== undefined) {
    const { createHash } = await import("node:crypto"); // only git-subdir sources need it
    return `${sha12}-${createHash("sha256").update(normalizeSubdir(v.subdirPath)).digest("hex").slice(0, 8)}`;
  }
  if (sha12) return sha12;
  if (v.packageVersion) return v.packageVersion;
  return "unknown";
}

function normalizeSubdir(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
}

/** A version as one safe path segment (plugin.json may say anything). */
export function versionDirName(version: string): string {
  const safe = version.replace(/[^A-Za-z0-9._+-]/g, "_");
  return safe === "." || safe === ".." || safe === "" ? `_${safe}` : safe;
}
