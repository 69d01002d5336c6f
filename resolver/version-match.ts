import Range from "semver/classes/range.js";
import SemVer from "semver/classes/semver.js";
import valid from "semver/functions/valid.js";
import validRange from "semver/ranges/valid.js";

/**
 * node-semver matching with every parse done once: version strings and ranges repeat across a catalog,
 * so both parses and range tests are memoized per string. Opaque versions (a sha12, "unknown") parse to
 * null and satisfy no range.
 */
export class VersionMatcher {
  private readonly versions = new Map<string, SemVer | null>();
  private readonly ranges = new Map<string, { range: Range; results: Map<string, boolean> } | null>();

  parse(version: string): SemVer | null {
    let parsed = this.versions.get(version);
    if (parsed === undefined) {
      parsed = valid(version) === null ? null : new SemVer(version);
      this.versions.set(version, parsed);
    }
    return parsed;
  }

  isValidRange(range: string): boolean {
    return this.range(range) !== null;
  }

  /** node-semver semantics: prereleases match only when the range opts in on the same [major, minor, patch]. */
  satisfies(version: string, range: string): boolean {
    const entry = this.range(range);
    if (!entry) return false;
    let result = entry.results.get(version);
    if (result === undefined) {
      const parsed = this.parse(version);
      result = parsed !== null && entry.range.test(parsed);
      entry.results.set(version, result);
    }
    return result;
  }

  /** Highest first: stable releases, then prereleases, then opaque versions in catalog order. */
  compareCandidates(a: string, b: string): number {
    const va = this.parse(a);
    const vb = this.parse(b);
    if (!va || !vb) return va ? -1 : vb ? 1 : 0;
    const pa = va.prerelease.length > 0;
    const pb = vb.prerelease.length > 0;
    if (pa !== pb) return pa ? 1 : -1;
    return vb.compare(va);
  }

  private range(range: string): { range: Range; results: Map<string, boolean> } | null {
    let entry = this.ranges.get(range);
    if (entry === undefined) {
      entry = validRange(range) === null ? null : { range: new Range(range), results: new Map() };
      this.ranges.set(range, entry);
    }
    return entry;
  }
}
