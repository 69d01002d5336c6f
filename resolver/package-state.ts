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

/** One dependency edge of a chosen candidate. */
export interface Edge {
  id: string;
  range: string | undefined;
  target: PackageState;
}

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
  readonly edges: (Edge[] | undefined)[];
  /** per candidate, per dependency: the state it points at (null: not in the catalog), filled by the search */
  readonly targets: ((PackageState | null)[] | undefined)[];
  /** highest first: stable releases, prereleases, then opaque versions in catalog order */
  readonly candidates: readonly Candidate[];
  private readonly preferred: number[];
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
    this.candidates = [...candidates].sort((a, b) => matcher.compareCandidates(a.version, b.version));
    candidates = this.candidates;
    this.excluded = new Array<number>(candidates.length).fill(0);
    this.edges = new Array(candidates.length);
    this.targets = new Array(candidates.length);
    this.versions = versionSets.of(candidates.map((c) => c.version));
    this.preferred = [];
    for (const version of preferredVersions) {
      const index = candidates.findIndex((c) => c.version === version);
      if (index >= 0 && !this.preferred.includes(index)) this.preferred.push(index);
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

  /**
   * Candidates to try, best first: preferred (locked, then installed) when allowed; then highest. When no
   * constraint carries a range, prereleases come after every stable release (a bare dependency never
   * pulls a prerelease while a release exists); a range that admits a prerelease opts in (node-semver).
   */
  tryOrder(): number[] {
    let ranged = false;
    for (const c of this.constraints) if (c.range !== undefined) ranged = true;
    const base = ranged ? this.versions.semverOrder : this.versions.stableFirstOrder;
    const order: number[] = [];
    for (const i of this.preferred) if (this.excluded[i] === 0) order.push(i);
    const skipPreferred = this.preferred.length > 0;
    for (const i of base) if (this.excluded[i] === 0 && !(skipPreferred && this.preferred.includes(i))) order.push(i);
    return order;
  }
}
