import type { ConstraintSnapshot, Failure } from "./failure.js";
import { PackageState, type Constraint, type Edge } from "./package-state.js";
import type { ResolveOptions, ResolverCatalog } from "./resolver-types.js";
import type { VersionMatcher } from "./version-match.js";

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
  agendaLength: number;
  position: number;
  trailMark: number;
}

const maxRecordedFailures = 32;

/**
 * Depth-first search with chronological backtracking. Plugins are decided in the order they are first
 * required (roots first, then breadth of discovery); each decision tries the preferred candidate first,
 * then the highest allowed. Every constraint immediately narrows its target (forward checking), so a
 * conflict is found at the decision that causes it. Everything undone on backtrack is on one trail.
 */
export class Search {
  private readonly packages = new Map<string, PackageState | null>();
  private readonly agenda: PackageState[] = [];
  private readonly trail: PackageState[] = [];
  private readonly failures: Failure[] = [];
  private steps = 0;

  constructor(
    private readonly catalog: ResolverCatalog,
    private readonly options: ResolveOptions,
    private readonly matcher: VersionMatcher,
  ) {}

  /** The state of a plugin id, or undefined when the catalog has no version of it. */
  get(id: string): PackageState | undefined {
    let pkg = this.packages.get(id);
    if (pkg === undefined) {
      const versions = this.catalog.versions(id);
      const at = id.lastIndexOf("@");
      const upgrade = this.options.upgrade === "all" || (this.options.upgrade ?? []).includes(id);
      const preferred = upgrade ? [] : [this.options.locked?.[id], this.options.installed?.[id]?.version].filter((v): v is string => v !== undefined);
      pkg = versions.length === 0 ? null : new PackageState(id, id.slice(0, at), id.slice(at + 1), versions, preferred, this.matcher);
      this.packages.set(id, pkg);
    }
    return pkg ?? undefined;
  }

  run(roots: readonly SearchRoot[]): SearchResult {
    for (const root of roots) {
      const pkg = this.get(root.id)!;
      if (!this.constrain(pkg, root.range, null, undefined)) return { ok: false, failures: this.failures, exhausted: false, steps: 0 };
    }
    const maxSteps = this.options.maxSteps ?? 1_000_000;
    const frames: Frame[] = [];
    let position = 0;
    for (;;) {
      while (position < this.agenda.length && this.agenda[position]!.chosen >= 0) position++;
      if (position === this.agenda.length) return { ok: true, packages: this.agenda.filter((p) => p.chosen >= 0) };
      const pkg = this.agenda[position]!;
      frames.push({ pkg, order: pkg.tryOrder(), next: 0, agendaLength: this.agenda.length, position, trailMark: this.trail.length });
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
        if (this.choose(frame.pkg, frame.order[frame.next++]!)) {
          position = frame.position + 1;
          break;
        }
        this.undo(frame);
      }
    }
  }

  private undo(frame: Frame): void {
    while (this.trail.length > frame.trailMark) this.trail.pop()!.pop();
    this.agenda.length = frame.agendaLength;
    frame.pkg.chosen = -1;
  }

  private choose(pkg: PackageState, index: number): boolean {
    pkg.chosen = index;
    const edges = this.edgesOf(pkg, index);
    if (!edges) return false;
    for (const edge of edges) {
      if (edge.id === pkg.id) continue; // a self-dependency is a cycle, reported once a solution is found
      if (!this.constrain(this.get(edge.id)!, edge.range, pkg.id, pkg.version)) return false;
    }
    return true;
  }

  /** Adds a constraint on `pkg`; false (and a recorded failure) when it leaves nothing to choose. */
  private constrain(pkg: PackageState, range: string | undefined, by: string | null, byVersion: string | undefined): boolean {
    const constraint: Constraint = { range, by, byVersion, mask: pkg.mask(range) };
    pkg.push(constraint);
    this.trail.push(pkg);
    if (pkg.constraints.length === 1) this.agenda.push(pkg);
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
    const imposer = { by: pkg.id, byVersion: candidate.version };
    const edges: Edge[] = [];
    const policy = this.options.policy;
    for (const dep of candidate.dependencies) {
      const market = dep.marketplace ?? pkg.marketplace;
      const id = `${dep.name}@${market}`;
      if (market !== pkg.marketplace && this.options.installed?.[id] === undefined) {
        const allowlist = this.catalog.marketplace(pkg.marketplace)?.allowCrossMarketplaceDependenciesOn ?? [];
        if (!allowlist.includes(market)) {
          this.record(() => ({ kind: "cross-marketplace", id, fromMarketplace: pkg.marketplace, targetMarketplace: market, ...imposer }));
          return undefined;
        }
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
      if (id !== pkg.id && !this.get(id)) {
        this.record(() => ({ kind: "not-found", id, ...imposer }));
        return undefined;
      }
      edges.push({ id, range: dep.range });
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
