import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { resolve } from "../../resolver/resolve.js";
import type { AgentError } from "../../schemas/errors.js";
import { plainCatalog, type PlainMarketplace } from "./plain-catalog.js";

const versionPool = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0-beta.1", "3.0.0"];
const rangePool = [undefined, "^1.0.0", "^2.0.0", ">=1.1.0", "<2.0.0", "~1.0.0", "^2.1.0-0", "1.x || 3.x", ">=3"];

/** Plugin i may depend only on plugins j > i (no cycles: cycles are a separate, always-fatal error). */
const graphArbitrary = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.array(
    fc.uniqueArray(fc.constantFrom(...versionPool), { minLength: 1, maxLength: 3 }).chain((versions) =>
      fc.tuple(...versions.map((v) => fc.tuple(fc.constant(v), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...rangePool)), { maxLength: 3 })))),
    ),
    { minLength: n, maxLength: n },
  ),
);

type Graph = [string, [number, string | undefined][]][][];
type Deps = Map<string, { target: number; range: string | undefined }[]>;

function build(graph: Graph): { market: PlainMarketplace; deps: Deps[] } {
  const n = graph.length;
  const deps: Deps[] = graph.map((versions, i) => {
    const byVersion: Deps = new Map();
    for (const [version, raw] of versions) {
      byVersion.set(version, i === n - 1 ? [] : raw.map(([t, range]) => ({ target: i + 1 + (t % (n - 1 - i)), range })));
    }
    return byVersion;
  });
  const plugins: PlainMarketplace["plugins"] = {};
  deps.forEach((byVersion, i) => {
    plugins[`p${i}`] = Object.fromEntries([...byVersion].map(([v, list]) => [v, list.map((d) => ({ name: `p${d.target}`, ...(d.range ? { version: d.range } : {}) }))]));
  });
  return { market: { plugins }, deps };
}

/** Is there any choice of (absent | one version) per plugin with p0 present and every dependency satisfied? */
function bruteForceSolvable(deps: Deps[]): boolean {
  const options = deps.map((byVersion) => [undefined, ...byVersion.keys()]);
  const pick: (string | undefined)[] = new Array(deps.length);
  const ok = (): boolean =>
    pick[0] !== undefined &&
    pick.every((v, i) => v === undefined || deps[i]!.get(v)!.every((d) => pick[d.target] !== undefined && (d.range === undefined || semver.satisfies(pick[d.target]!, d.range))));
  const walk = (i: number): boolean => {
    if (i === deps.length) return ok();
    for (const option of options[i]!) {
      pick[i] = option;
      if (walk(i + 1)) return true;
    }
    return false;
  };
  return walk(0);
}

describe("resolve: properties on random small graphs", () => {
  it("a returned plan satisfies every constraint, and a reported conflict has no solution (brute force)", () => {
    let solved = 0;
    let conflicts = 0;
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        const { market, deps } = build(graph as Graph);
        const catalog = plainCatalog({ m: market });
        const solvable = bruteForceSolvable(deps);
        let plan;
        try {
          plan = resolve({ roots: [{ plugin: "p0@m" }] }, catalog);
        } catch (error) {
          expect(["E_RANGE_CONFLICT", "E_NO_MATCHING_VERSION"]).toContain((error as AgentError).code);
          expect(solvable).toBe(false);
          conflicts++;
          return;
        }
        solved++;
        expect(solvable).toBe(true);
        const chosen = new Map(plan.steps.map((s) => [s.id, s.version]));
        expect(chosen.has("p0@m")).toBe(true);
        const position = new Map(plan.steps.map((s, i) => [s.id, i]));
        for (const step of plan.steps) {
          const index = Number(step.name.slice(1));
          for (const d of deps[index]!.get(step.version)!) {
            const version = chosen.get(`p${d.target}@m`);
            expect(version, `${step.id}@${step.version} needs p${d.target}`).toBeDefined();
            if (d.range) expect(semver.satisfies(version!, d.range), `${step.id}@${step.version} needs p${d.target} ${d.range}, got ${version}`).toBe(true);
            expect(position.get(`p${d.target}@m`)!).toBeLessThan(position.get(step.id)!);
          }
        }
      }),
      { numRuns: 400, seed: 20261125 },
    );
    expect(solved).toBeGreaterThan(50);
    expect(conflicts).toBeGreaterThan(20);
  });

  it("the same input always gives the same plan", () => {
    fc.assert(
      fc.property(graphArbitrary, (graph) => {
        const { market } = build(graph as Graph);
        const run = () => {
          try {
            return JSON.stringify(resolve({ roots: [{ plugin: "p0@m" }] }, plainCatalog({ m: market })));
          } catch (error) {
            return JSON.stringify((error as AgentError).toJSON());
          }
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
