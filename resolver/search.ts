import type { ConstraintSnapshot, Failure } from "./failure.js";
import { PackageState, type Constraint } from "./package-state.js";
import type { ResolveOptions, ResolverCatalog } from "./resolver-types.js";
import type { VersionMatcher } from "./version-match.js";
import { VersionSets } from "./version-set.js";

export interface SearchRoot {
  id: string;
  range: string | undefined;
}

export type SearchResult =
  | { ok: true; packages: PackageState[] }
  | { ok: false; failures: Failure[]; exhausted: boolean; steps: number };

interface Frame {
  pkg: PackageState;
  /** the try order's base and the position reached in it (PackageState.tryNext) */
  base: readonly number[];
  next: number;
  pointer: number;
  latePosition: number;
  lateLength: number;
  trailMark: number;
}

const maxRecordedFailures = 32;

/**
 * Depth-first search with chronological backtracking and forward checking.
 *
 * Decision order: a reverse post-order of the "potential" graph (the dependencies of every version of
 * every reachable plugin), so in an acyclic catalog a plugin is decided only after everything that could
 * depend on it — all the ranges on it are known when it is decided, and it never has to be revisited. A
 * plugin first required after its turn has passed (a cycle in the potential graph) is decided next.
 * Each decision tries the preferred candidate (locked, installed) first, then the highest allowed one;
 * every constraint immediately narrows its target, so a conflict shows at the decision that causes it.
 */
export class Search {
  private readonly packages = new Map<string, PackageState | null>();
  /** the same states by marketplace, then name: dependency lookups build no id string */
  private readonly byMarketplace = new Map<string, Map<string, PackageState | null>>();
  private readonly allowlists = new Map<string, readonly string[]>();
  private ranked: PackageState[] = [];
  private pointer = 0;
  private readonly late: PackageState[] = [];
  private latePosition = 0;
  private readonly trail: PackageState[] = [];
  private readonly failures: Failure[] = [];
  private steps = 0;
  private readonly versionSets: VersionSets;

  constructor(
    private readonly catalog: ResolverCatalog,
    private readonly options: ResolveOptions,
    private readonly matcher: VersionMatcher,
  ) {
    this.versionSets = new VersionSets(matcher);
  }

  /** The state of a plugin id, or undefined when the catalog has no version of it. */
  get(id: string): PackageState | undefined {
    let pkg = this.packages.get(id);
    if (pkg === undefined) {
      const versions = this.catalog.versions(id);
      const at = id.lastIndexOf("@");
      const { upgrade, locked, installed } = this.options;
      const preferred: string[] = [];
      if (upgrade !== "all" && !upgrade?.includes(id)) {
        const lockedVersion = locked?.[id];
        const installedVersion = installed?.[id]?.version;
        if (lockedVersion !== undefined) preferred.push(lockedVersion);
        if (installedVersion !== undefined) preferred.push(installedVersion);
      }
      pkg = versions.length === 0 ? null : new PackageState(id, id.slice(0, at), id.slice(at + 1), versions, preferred, this.matcher, this.versionSets);
      this.packages.set(id, pkg);
    }
    return pkg ?? undefined;
  }

  run(roots: readonly SearchRoot[]): SearchResult {
    this.ranked = this.decisionOrder(roots.map((r) => this.get(r.id)!));
    for (const root of roots) {
      if (!this.constrain(this.get(root.id)!, root.range, null, undefined)) return { ok: false, failures: this.failures, exhausted: false, steps: 0 };
    }
    const maxSteps = this.options.maxSteps ?? 1_000_000;
    const frames: Frame[] = [];
    for (;;) {
      const pkg = this.nextUndecided();
      if (!pkg) return { ok: true, packages: this.ranked.filter((p) => p.chosen >= 0) };
      frames.push({ pkg, base: pkg.tryBase(), next: 0, pointer: this.pointer, latePosition: this.latePosition, lateLength: this.late.length, trailMark: this.trail.length });
      for (;;) {
        const frame = frames[frames.length - 1];
        if (!frame) return { ok: false, failures: this.failures, exhausted: false, steps: this.steps };
        const position = frame.pkg.tryNext(frame.base, frame.next);
        if (position < 0) {
          frames.pop();
          const previous = frames[frames.length - 1];
          if (previous) this.undo(previous);
          continue;
        }
        if (++this.steps > maxSteps) return { ok: false, failures: this.failures, exhausted: true, steps: this.steps };
        frame.next = position + 1;
        if (this.choose(frame.pkg, frame.pkg.tryCandidate(frame.base, position))) break;
        this.undo(frame);
      }
    }
  }

  /** Late arrivals first, then the next required plugin in decision order. */
  private nextUndecided(): PackageState | undefined {
    for (; this.latePosition < this.late.length; this.latePosition++) {
      const pkg = this.late[this.latePosition]!;
      if (pkg.chosen < 0 && pkg.constraints.length > 0) return pkg;
    }
    for (; this.pointer < this.ranked.length; this.pointer++) {
      const pkg = this.ranked[this.pointer]!;
      if (pkg.chosen < 0 && pkg.constraints.length > 0) return pkg;
    }
    return undefined;
  }

  /**
   * Reverse post-order of a depth-first walk over every candidate's dependencies. Roots and targets are
   * walked last-first (last candidate, last dependency), so that, reversed, earlier roots and
   * earlier-declared dependencies come first. Sets each state's rank to its position.
   */
  private decisionOrder(roots: PackageState[]): PackageState[] {
    const post: PackageState[] = [];
    const seen = -2;
    // one frame per open state: the position in its target list to look at next, counting down
    const stack: PackageState[] = [];
    const nextTarget: number[] = [];
    const open = (pkg: PackageState): void => {
      pkg.rank = seen;
      stack.push(pkg);
      nextTarget.push(this.link(pkg).length - 1);
    };
    for (let r = roots.length - 1; r >= 0; r--) {
      const root = roots[r]!;
      if (root.rank === seen) continue;
      open(root);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const pkg = stack[top]!;
        const targets = pkg.targets!;
        let t = nextTarget[top]!;
        let target: PackageState | null = null;
        for (; t >= 0 && target === null; t--) {
          const candidate = targets[t]!;
          if (candidate && candidate !== pkg && candidate.rank !== seen) target = candidate;
        }
        nextTarget[top] = t;
        if (target) {
          open(target);
        } else {
          stack.pop();
          nextTarget.pop();
          post.push(pkg);
        }
      }
    }
    post.reverse();
    for (let i = 0; i < post.length; i++) post[i]!.rank = i;
    return post;
  }

  /** Looks up, once, the state every dependency of every candidate points at (null: not in the catalog). */
  private link(pkg: PackageState): readonly (PackageState | null)[] {
    if (pkg.targets) return pkg.targets;
    // sized up front: one array per plugin, no regrowth
    const targetStart = new Array<number>(pkg.candidates.length + 1);
    let count = 0;
    for (let i = 0; i < pkg.candidates.length; i++) {
      targetStart[i] = count;
      count += pkg.candidates[i]!.dependencies.length;
    }
    targetStart[pkg.candidates.length] = count;
    const targets = new Array<PackageState | null>(count);
    for (let i = 0, t = 0; i < pkg.candidates.length; i++) {
      for (const dep of pkg.candidates[i]!.dependencies) targets[t++] = this.lookup(dep.name, dep.marketplace ?? pkg.marketplace);
    }
    pkg.targets = targets;
    pkg.targetStart = targetStart;
    return targets;
  }

  private lookup(name: string, marketplace: string): PackageState | null {
    let names = this.byMarketplace.get(marketplace);
    if (!names) this.byMarketplace.set(marketplace, (names = new Map()));
    let pkg = names.get(name);
    if (pkg === undefined) {
      pkg = this.get(`${name}@${marketplace}`) ?? null;
      names.set(name, pkg);
    }
    return pkg;
  }

  private allowlist(marketplace: string): readonly string[] {
    let allowlist = this.allowlists.get(marketplace);
    if (!allowlist) {
      allowlist = this.catalog.marketplace(marketplace)?.allowCrossMarketplaceDependenciesOn ?? [];
      this.allowlists.set(marketplace, allowlist);
    }
    return allowlist;
  }

  private undo(frame: Frame): void {
    while (this.trail.length > frame.trailMark) this.trail.pop()!.pop();
    this.late.length = frame.lateLength;
    this.latePosition = frame.latePosition;
    this.pointer = frame.pointer;
    frame.pkg.chosen = -1;
  }

  private choose(pkg: PackageState, index: number): boolean {
    pkg.chosen = index;
    if (pkg.checked[index] === 0 && !this.check(pkg, index)) return false;
    const dependencies = pkg.candidates[index]!.dependencies;
    const targets = pkg.targets!;
    const start = pkg.targetStart![index]!;
    for (let j = 0; j < dependencies.length; j++) {
      const target = targets[start + j]!;
      if (target === pkg) continue; // a self-dependency is a cycle, reported once a solution is found
      if (!this.constrain(target, dependencies[j]!.range, pkg.id, pkg.version)) return false;
    }
    return true;
  }

  /** Adds a constraint on `pkg`; false (and a recorded failure) when it leaves nothing to choose. */
  private constrain(pkg: PackageState, range: string | undefined, by: string | null, byVersion: string | undefined): boolean {
    const constraint: Constraint = { range, by, byVersion, mask: pkg.mask(range) };
    pkg.push(constraint);
    this.trail.push(pkg);
    if (pkg.constraints.length === 1 && pkg.rank < this.pointer) this.late.push(pkg);
    if (pkg.chosen >= 0) {
      if (pkg.excluded[pkg.chosen] === 0) return true;
      if (this.recording()) this.failures.push({ kind: "clash", id: pkg.id, chosen: pkg.version, constraints: this.snapshot(pkg), versions: pkg.candidates.map((c) => c.version) });
      return false;
    }
    if (pkg.anyAllowed()) return true;
    if (this.recording()) this.failures.push({ kind: "conflict", id: pkg.id, constraints: this.snapshot(pkg), versions: pkg.candidates.map((c) => c.version) });
    return false;
  }

  /** Checks the dependencies of one candidate once: target exists, range valid, allowed, not blocked. */
  private check(pkg: PackageState, index: number): boolean {
    const candidate = pkg.candidates[index]!;
    const targets = pkg.targets!;
    const start = pkg.targetStart![index]!;
    const { policy, installed } = this.options;
    for (let j = 0; j < candidate.dependencies.length; j++) {
      const dep = candidate.dependencies[j]!;
      const target = targets[start + j]!;
      const market = dep.marketplace ?? pkg.marketplace;
      const id = target ? target.id : `${dep.name}@${market}`;
      if (market !== pkg.marketplace && installed?.[id] === undefined && !this.allowlist(pkg.marketplace).includes(market)) {
        return this.fail({ kind: "cross-marketplace", id, fromMarketplace: pkg.marketplace, targetMarketplace: market, by: pkg.id, byVersion: candidate.version });
      }
      if (policy?.blockedMarketplaces?.includes(market) || policy?.blockedPlugins?.includes(id)) {
        const blocked = policy.blockedMarketplaces?.includes(market) ? "marketplace" : "plugin";
        return this.fail({ kind: "policy", id, blocked, by: pkg.id, byVersion: candidate.version });
      }
      if (dep.range !== undefined && !this.matcher.isValidRange(dep.range)) {
        return this.fail({ kind: "invalid-range", id, range: dep.range, by: pkg.id, byVersion: candidate.version });
      }
      if (!target) return this.fail({ kind: "not-found", id, by: pkg.id, byVersion: candidate.version });
    }
    pkg.checked[index] = 1;
    return true;
  }

  private recording(): boolean {
    return this.failures.length < maxRecordedFailures;
  }

  private fail(failure: Failure): false {
    if (this.recording()) this.failures.push(failure);
    return false;
  }

  private snapshot(pkg: PackageState): ConstraintSnapshot[] {
    return pkg.constraints.map((c) => ({ range: c.range, by: c.by, byVersion: c.byVersion, chain: c.by === null ? [] : this.chain(c.by) }));
  }

  /** How a plugin was reached: follow each plugin's first (oldest) constraint back to a root. */
  private chain(id: string): string[] {
    const chain: string[] = [];
    const seen = new Set<string>();
    let current: string | null = id;
    while (current !== null && !seen.has(current)) {
      seen.add(current);
      const pkg: PackageState = this.get(current)!;
      chain.unshift(pkg.chosen >= 0 ? `${current}@${pkg.version}` : current);
      current = pkg.constraints[0]?.by ?? null;
    }
    return chain;
  }
}
