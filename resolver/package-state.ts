import type { Candidate } from "./resolver-types.js";
import type { VersionMatcher } from "./version-match.js";
import type { VersionSet, VersionSets } from "./version-set.js";

/** A range someone put on a plugin: `by` is the dependent's id (null = the user's request). */
export interface Constraint {
  range: string | undefined;
  by: string | null;
  byVersion: string | undefined;
  /** 1 where the candidate (sorted index) satisfies the range; null = every candidate does */
  mask: readonly number[] | null;
}

const none: readonly number[] = [];

/**
 * What the search knows about one plugin: its candidates (highest first), the constraints on it (a stack
 * undone on backtrack), how many constraints exclude each candidate, and the candidate chosen (-1: none).
 */
export class PackageState {
  readonly constraints: Constraint[] = [];
  /** per candidate: how many constraints exclude it */
  readonly excluded: number[];
  chosen = -1;
  /** position in the search's decision order (-1: not reached) */
  rank = -1;
  /**
   * The states the candidates' dependencies point at (null: not in the catalog), every candidate's in one
   * list: candidate i's are targets[targetStart[i]] up to targets[targetStart[i + 1]]. Filled by the search.
   */
  targets: readonly (PackageState | null)[] | undefined;
  targetStart: readonly number[] | undefined;
  /** per candidate: 1 once its dependencies passed the search's checks (exist, allowed, valid ranges) */
  readonly checked: number[];
  /** highest first: stable releases, prereleases, then opaque versions in catalog order */
  readonly candidates: readonly Candidate[];
  private readonly preferred: readonly number[];
  private readonly versions: VersionSet;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly marketplace: string,
    candidates: readonly Candidate[],
    preferredVersions: readonly string[],
    matcher: VersionMatcher,
    versionSets: VersionSets,
  ) {
    const compare = (a: Candidate, b: Candidate): number => matcher.compareCandidates(a.version, b.version);
    let sorted = true;
    for (let i = 1; i < candidates.length && sorted; i++) sorted = compare(candidates[i - 1]!, candidates[i]!) <= 0;
    this.candidates = sorted ? candidates : [...candidates].sort(compare);
    candidates = this.candidates;
    this.excluded = new Array<number>(candidates.length).fill(0);
    this.checked = new Array<number>(candidates.length).fill(0);
    const versions = new Array<string>(candidates.length);
    for (let i = 0; i < candidates.length; i++) versions[i] = candidates[i]!.version;
    this.versions = versionSets.of(versions);
    if (preferredVersions.length === 0) {
      this.preferred = none;
    } else {
      const preferred: number[] = [];
      for (const version of preferredVersions) {
        const index = candidates.findIndex((c) => c.version === version);
        if (index >= 0 && !preferred.includes(index)) preferred.push(index);
      }
      this.preferred = preferred;
    }
  }

  get version(): string {
    return this.candidates[this.chosen]!.version;
  }

  /** The mask of a range over this plugin's candidates (memoized per range). */
  mask(range: string | undefined): readonly number[] | null {
    return range === undefined ? null : this.versions.mask(range);
  }

  push(constraint: Constraint): void {
    this.constraints.push(constraint);
    const mask = constraint.mask;
    if (mask) for (let i = 0; i < mask.length; i++) if (mask[i] === 0) this.excluded[i]!++;
  }

  pop(): void {
    const mask = this.constraints.pop()!.mask;
    if (mask) for (let i = 0; i < mask.length; i++) if (mask[i] === 0) this.excluded[i]!--;
  }

  anyAllowed(): boolean {
    for (let i = 0; i < this.excluded.length; i++) if (this.excluded[i] === 0) return true;
    return false;
  }

  /** The states candidate `index` depends on, in declaration order (its dependencies passed the checks); a new array. */
  dependencyStates(index: number): PackageState[] {
    return this.targets!.slice(this.targetStart![index]!, this.targetStart![index + 1]!) as PackageState[];
  }

  /**
   * Candidates to try, best first: preferred (locked, then installed) when allowed; then highest. When no
   * constraint carries a range, prereleases come after every stable release (a bare dependency never
   * pulls a prerelease while a release exists); a range that admits a prerelease opts in (node-semver).
   * Read lazily: `tryBase()` once, then `tryNext(base, position)` from 0 gives the position of the next
   * candidate to try (-1: none left) and `tryCandidate(base, position)` its index. The order holds while
   * the constraints are the ones it was started under.
   */
  tryBase(): readonly number[] {
    for (const c of this.constraints) if (c.range !== undefined) return this.versions.semverOrder;
    return this.versions.stableFirstOrder;
  }

  tryNext(base: readonly number[], position: number): number {
    const preferred = this.preferred;
    for (; position < preferred.length + base.length; position++) {
      const index = this.tryCandidate(base, position);
      if (this.excluded[index] === 0 && (position < preferred.length || !preferred.includes(index))) return position;
    }
    return -1;
  }

  tryCandidate(base: readonly number[], position: number): number {
    return position < this.preferred.length ? this.preferred[position]! : base[position - this.preferred.length]!;
  }
}
