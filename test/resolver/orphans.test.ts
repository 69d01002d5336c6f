import { describe, expect, it } from "vitest";
import { blockingDependents, orphans } from "../../resolver/orphans.js";
import { dependencyChains } from "../../resolver/why.js";

/** alpha → beta → gamma declared in plugin.json; e1 → e2 → e3 declared only in marketplace entries (merged here). */
const deps: Record<string, string[]> = {
  "alpha@m": ["beta@m"],
  "beta@m": ["gamma@m"],
  "gamma@m": [],
  "e1@c": ["e2@c"],
  "e2@c": ["e3@c"],
  "e3@c": [],
  "cyc1@m": ["cyc2@m"],
  "cyc2@m": ["cyc1@m"],
};
const depsOf = (id: string) => deps[id] ?? [];

describe("removals", () => {
  it("keeps dependencies an enabled plugin still reaches through entry-declared dependencies", () => {
    const installed = [{ id: "e1@c" }, { id: "e2@c", auto: true }, { id: "e3@c", auto: true }];
    expect(orphans(installed, ["e1@c"], depsOf)).toEqual([]);
  });

  it("prunes auto plugins nothing enabled reaches, and never manual ones", () => {
    const installed = [{ id: "alpha@m" }, { id: "beta@m", auto: true }, { id: "gamma@m", auto: true }, { id: "e1@c" }, { id: "e2@c", auto: true }, { id: "e3@c", auto: true }];
    expect(orphans(installed, ["e1@c"], depsOf)).toEqual(["beta@m", "gamma@m"]);
    expect(orphans(installed, ["alpha@m"], depsOf)).toEqual(["e2@c", "e3@c"]);
  });

  it("prunes a cycle of auto plugins once nothing enabled reaches it", () => {
    expect(orphans([{ id: "cyc1@m", auto: true }, { id: "cyc2@m", auto: true }], [], depsOf)).toEqual(["cyc1@m", "cyc2@m"]);
    expect(orphans([{ id: "cyc1@m" }, { id: "cyc2@m", auto: true }], ["cyc1@m"], depsOf)).toEqual([]);
  });

  it("lists the transitive dependents blocking a disable, in an order that can be disabled", () => {
    const enabled = ["alpha@m", "beta@m", "gamma@m", "e1@c"];
    expect(blockingDependents("gamma@m", enabled, depsOf)).toEqual({ direct: ["beta@m"], transitive: ["alpha@m", "beta@m"], order: ["alpha@m", "beta@m", "gamma@m"] });
    expect(blockingDependents("alpha@m", enabled, depsOf)).toEqual({ direct: [], transitive: [], order: ["alpha@m"] });
  });

  it("gives every chain from the starting points in a diamond", () => {
    const diamond: Record<string, string[]> = { "app@m": ["l@m", "r@m"], "l@m": ["base@m"], "r@m": ["base@m"], "tool@m": ["base@m"] };
    const chains = dependencyChains("base@m", ["app@m", "tool@m"], (id) => diamond[id] ?? [], Object.keys(diamond));
    expect(chains).toEqual([
      ["app@m", "l@m", "base@m"],
      ["app@m", "r@m", "base@m"],
      ["tool@m", "base@m"],
    ]);
  });
});
