import type { VersionMatcher } from "./version-match.js";

/**
 * The sorted version list of a plugin (highest first: stable releases, prereleases, then opaque versions)
 * and what follows from it alone: the try orders and, per range, which versions satisfy it. Catalogs
 * repeat version lists across plugins, so plugins with the same list share one set and its masks.
 */
export class VersionSet {
  /** every index, in sorted order */
  readonly stableFirstOrder: readonly number[];
  /** parsed versions by node-semver precedence (prereleases among releases), then opaque ones */
  readonly semverOrder: readonly number[];
  private readonly masks = new Map<string, number[]>();

  constructor(
    readonly versions: readonly string[],
    private readonly matcher: VersionMatcher,
  ) {
    const indices = versions.map((_, i) => i);
    this.stableFirstOrder = indices;
    // sorted stable releases first: semver order differs only when a prerelease is among them
    const prerelease = versions.some((v) => (matcher.parse(v)?.prerelease.length ?? 0) > 0);
    if (prerelease) {
      const parsed = indices.filter((i) => matcher.parse(versions[i]!) !== null);
      const opaque = indices.filter((i) => matcher.parse(versions[i]!) === null);
      this.semverOrder = [...parsed.sort((a, b) => matcher.parse(versions[b]!)!.compare(matcher.parse(versions[a]!)!) || a - b), ...opaque];
    } else {
      this.semverOrder = indices;
    }
  }

  /** 1 where the version (sorted index) satisfies the range; memoized per range. */
  mask(range: string): readonly number[] {
    let mask = this.masks.get(range);
    if (!mask) {
      mask = new Array<number>(this.versions.length);
      for (let i = 0; i < mask.length; i++) mask[i] = this.matcher.satisfies(this.versions[i]!, range) ? 1 : 0;
      this.masks.set(range, mask);
    }
    return mask;
  }
}

/** One VersionSet per distinct sorted version list. */
export class VersionSets {
  private readonly sets = new Map<string, VersionSet>();

  constructor(private readonly matcher: VersionMatcher) {}

  of(versions: readonly string[]): VersionSet {
    const key = versions.join("\u0000");
    const set = this.sets.get(key);
    if (set && sameVersions(set.versions, versions)) return set;
    const created = new VersionSet(versions, this.matcher);
    if (!set) this.sets.set(key, created);
    return created;
  }
}

function sameVersions(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
