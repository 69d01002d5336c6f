import type { ConstraintSnapshot, Failure } from "./failure.js";
import { PackageState, type Constraint, type Edge } from "./package-state.js";
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
  order: number[];
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
      const upgrade = this.options.upgrade === "all" || (this.options.upgrade ?? []).includes(id);
      const preferred = upgrade ? [] : [this.options.locked?.[id], this.options.installed?.[id]?.version].filter((v): v is string => v !== undefined);
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
      frames.push({ pkg, order: pkg.tryOrder(), next: 0, pointer: this.pointer, latePosition: this.latePosition, lateLength: this.late.length, trailMark: this.trail.length });
      for (;;) {
        const frame = frames[frames.length - 1];
        if (!frame) return { ok: false, failures: this.failures, exhausted: false, steps: this.steps };
        if (frame.next >= frame.order.length) {
          frames.pop();
          const previous = frames[frames.length - 1];
          if (previous) this.undo(previous);
          continue;
        }
        if (++this.steps > maxSteps) return { ok: false, failures: this.failures, exhausted: true, steps: this.steps };
        if (this.choose(frame.pkg, frame.order[frame.next++]!)) break;
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
    // one frame per open state: the candidate and dependency to look at next, counting down
    const stack: PackageState[] = [];
    const candidateAt: number[] = [];
    const dependencyAt: number[] = [];
    const open = (pkg: PackageState): void => {
      pkg.rank = seen;
      stack.push(pkg);
      candidateAt.push(pkg.candidates.length - 1);
      dependencyAt.push(-1);
    };
    for (let r = roots.length - 1; r >= 0; r--) {
      const root = roots[r]!;
      if (root.rank === seen) continue;
      open(root);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const pkg = stack[top]!;
        let c = candidateAt[top]!;
        let d = dependencyAt[top]!;
        let target: PackageState | null = null;
        while (c >= 0) {
          if (d < 0) {
            d = this.targetsOf(pkg, c).length - 1;
            if (d < 0) {
              c--;
              continue;
            }
          }
          const candidate = this.targetsOf(pkg, c)[d]!;
          if (--d < 0) c--;
          if (candidate && candidate !== pkg && candidate.rank !== seen) {
            target = candidate;
            break;
          }
        }
        candidateAt[top] = c;
        dependencyAt[top] = d;
        if (target) {
          open(target);
        } else {
          stack.pop();
          candidateAt.pop();
          dependencyAt.pop();
          post.push(pkg);
        }
      }
    }
    post.reverse();
    for (let i = 0; i < post.length; i++) post[i]!.rank = i;
    return post;
  }

  /** The state each dependency of one candidate points at (null: not in the catalog), looked up once. */
  private targetsOf(pkg: PackageState, index: number): (PackageState | null)[] {
    let targets = pkg.targets[index];
    if (!targets) {
      const dependencies = pkg.candidates[index]!.dependencies;
      targets = new Array<PackageState | null>(dependencies.length);
      for (let j = 0; j < dependencies.length; j++) {
        const dep = dependencies[j]!;
        targets[j] = this.lookup(dep.name, dep.marketplace ?? pkg.marketplace);
      }
      pkg.targets[index] = targets;
    }
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
    const edges = this.edgesOf(pkg, index);
    if (!edges) return false;
    for (const edge of edges) {
      if (edge.id === pkg.id) continue; // a self-dependency is a cycle, reported once a solution is found
      if (!this.constrain(edge.target, edge.range, pkg.id, pkg.version)) return false;
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
      this.record(() => ({ kind: "clash", id: pkg.id, chosen: pkg.version, constraints: this.snapshot(pkg), versions: pkg.candidates.map((c) => c.version) }));
      return false;
    }
    if (pkg.anyAllowed()) return true;
    this.record(() => ({ kind: "conflict", id: pkg.id, constraints: this.snapshot(pkg), versions: pkg.candidates.map((c) => c.version) }));
    return false;
  }

  /** The dependency edges of one candidate, checked once: target exists, range valid, allowed, not blocked. */
  private edgesOf(pkg: PackageState, index: number): Edge[] | undefined {
    const cached = pkg.edges[index];
    if (cached) return cached;
    const candidate = pkg.candidates[index]!;
    const targets = this.targetsOf(pkg, index);
    const imposer = { by: pkg.id, byVersion: candidate.version };
    const edges: Edge[] = [];
    const { policy, installed } = this.options;
    for (let j = 0; j < targets.length; j++) {
      const dep = candidate.dependencies[j]!;
      const target = targets[j]!;
      const market = dep.marketplace ?? pkg.marketplace;
      const id = target ? target.id : `${dep.name}@${market}`;
      if (market !== pkg.marketplace && installed?.[id] === undefined && !this.allowlist(pkg.marketplace).includes(market)) {
        this.record(() => ({ kind: "cross-marketplace", id, fromMarketplace: pkg.marketplace, targetMarketplace: market, ...imposer }));
        return undefined;
      }
      if (policy?.blockedMarketplaces?.includes(market) || policy?.blockedPlugins?.includes(id)) {
        const blocked = policy.blockedMarketplaces?.includes(market) ? "marketplace" : "plugin";
        this.record(() => ({ kind: "policy", id, blocked, ...imposer }));
        return undefined;
      }
      if (dep.range !== undefined && !this.matcher.isValidRange(dep.range)) {
        const range = dep.range;
        this.record(() => ({ kind: "invalid-range", id, range, ...imposer }));
        return undefined;
      }
      if (!target) {
        this.record(() => ({ kind: "not-found", id, ...imposer }));
        return undefined;
      }
      edges.push({ id, range: dep.range, target });
    }
    pkg.edges[index] = edges;
    return edges;
  }

  private record(failure: () => Failure): void {
    if (this.failures.length < maxRecordedFailures) this.failures.push(failure());
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
