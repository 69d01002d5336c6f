import { describe, expect, it } from "vitest";
import { resolve } from "../../resolver/resolve.js";
import { AgentError } from "../../schemas/errors.js";
import { plainCatalog, thrown } from "./plain-catalog.js";

describe("resolve: failures (all-or-nothing, stable codes, explained)", () => {
  it("E_CYCLE through three marketplaces names the path", () => {
    const catalog = plainCatalog({
      m1: { allow: ["m2"], plugins: { a: { "1.0.0": ["b@m2"] } } },
      m2: { allow: ["m3"], plugins: { b: { "1.0.0": ["c@m3"] } } },
      m3: { allow: ["m1"], plugins: { c: { "1.0.0": ["a@m1"] } } },
    });
    const error = thrown(() => resolve({ roots: [{ plugin: "a@m1" }] }, catalog));
    expect(error).toBeInstanceOf(AgentError);
    expect(error.code).toBe("E_CYCLE");
    expect(error.message).toBe("Dependency cycle: a@m1 → b@m2 → c@m3 → a@m1");
    expect(error.details).toMatchObject({ cycle: ["a@m1", "b@m2", "c@m3", "a@m1"], path: "cycle: a@m1 → b@m2 → c@m3 → a@m1" });
    expect(error.hint).toContain("Remove the dependency of c@m3 on a@m1");
  });

  it("E_CYCLE for a plugin that depends on itself", () => {
    const catalog = plainCatalog({ m: { plugins: { a: { "1.0.0": ["a"] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "a@m" }] }, catalog));
    expect([error.code, error.message]).toEqual(["E_CYCLE", "Dependency cycle: a@m → a@m"]);
    expect(error.hint).toContain("depends on itself");
  });

  it("E_CROSS_MARKETPLACE names the marketplace.json to edit and the key", () => {
    const catalog = plainCatalog({ a: { plugins: { crossy: { "1.0.0": ["delta@b"] } } }, b: { plugins: { delta: { "1.0.0": [] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "crossy@a" }] }, catalog));
    expect(error.code).toBe("E_CROSS_MARKETPLACE");
    expect(error.message).toBe('Dependency "delta@b" (required by crossy@a@1.0.0) is in marketplace "b", which marketplace "a" does not allow');
    expect(error.hint).toBe('Add "b" to "allowCrossMarketplaceDependenciesOn" in /mk/a/.claude-plugin/marketplace.json, or install it yourself first: agent plugin install delta@b');
    expect(error.details).toMatchObject({ file: "/mk/a/.claude-plugin/marketplace.json", key: "allowCrossMarketplaceDependenciesOn", marketplace: "a", targetMarketplace: "b" });
  });

  it("E_RANGE_CONFLICT reads as a derivation naming both constraints and who imposed them", () => {
    const catalog = plainCatalog({
      m: { plugins: { x: { "1.0.0": [{ name: "c", version: "^2" }] }, y: { "3.0.0": [{ name: "c", version: "^1" }], "2.0.0": [{ name: "c", version: "^1" }] }, c: { "1.0.0": [], "2.0.0": [] } } },
    });
    const error = thrown(() => resolve({ roots: [{ plugin: "x@m" }, { plugin: "y@m" }] }, catalog));
    expect(error.code).toBe("E_RANGE_CONFLICT");
    expect(error.message).toBe("Because x@m@1.0.0 depends on c@m ^2 and y@m@3.0.0 depends on c@m ^1, x@m and y@m cannot both be installed.");
    expect(error.details).toMatchObject({ plugin: "c@m", versions: ["2.0.0", "1.0.0"], conflicting: [{ range: "^2", by: "x@m@1.0.0" }, { range: "^1", by: "y@m@3.0.0" }] });
    expect(error.details.alsoTried).toEqual(["Because x@m@1.0.0 depends on c@m ^2 and y@m@2.0.0 depends on c@m ^1, x@m and y@m cannot both be installed."]);
  });

  it("E_RANGE_CONFLICT three levels deep shows how each side was reached", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          top: { "1.0.0": ["b", "e"] },
          b: { "1.0.0": ["c"] },
          c: { "1.0.0": [{ name: "d", version: "^1.0.0" }] },
          e: { "1.0.0": ["f"] },
          f: { "1.0.0": [{ name: "d", version: "^2.0.0" }] },
          d: { "1.0.0": [], "2.0.0": [] },
        },
      },
    });
    const error = thrown(() => resolve({ roots: [{ plugin: "top@m" }] }, catalog));
    expect(error.code).toBe("E_RANGE_CONFLICT");
    expect(error.message).toBe("Because c@m@1.0.0 depends on d@m ^1.0.0 and f@m@1.0.0 depends on d@m ^2.0.0, c@m and f@m cannot both be installed.");
    expect(error.details.derivation).toEqual([
      error.message,
      "c@m@1.0.0 is needed through top@m@1.0.0 → b@m@1.0.0 → c@m@1.0.0",
      "f@m@1.0.0 is needed through top@m@1.0.0 → e@m@1.0.0 → f@m@1.0.0",
    ]);
  });

  it("E_RANGE_CONFLICT with three ranges that only fail together lists all of them", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          a: { "1.0.0": [{ name: "c", version: "1.x || 2.x" }] },
          b: { "1.0.0": [{ name: "c", version: "2.x || 3.x" }] },
          d: { "1.0.0": [{ name: "c", version: "1.x || 3.x" }] },
          c: { "1.0.0": [], "2.0.0": [], "3.0.0": [] },
        },
      },
    });
    const error = thrown(() => resolve({ roots: [{ plugin: "a@m" }, { plugin: "b@m" }, { plugin: "d@m" }] }, catalog));
    expect(error.code).toBe("E_RANGE_CONFLICT");
    expect(error.message).toBe(
      "Because a@m@1.0.0 depends on c@m 1.x || 2.x, b@m@1.0.0 depends on c@m 2.x || 3.x and d@m@1.0.0 depends on c@m 1.x || 3.x, no version of c@m satisfies all of them (available: 3.0.0, 2.0.0, 1.0.0).",
    );
  });

  it("an installed plugin whose range blocks an upgrade is named, with the update command as the hint", () => {
    const catalog = plainCatalog({
      m: { plugins: { app: { "1.0.0": [{ name: "lib", version: "~1.0.0" }] }, app2: { "1.0.0": [{ name: "lib", version: "^2.0.0" }] }, lib: { "1.0.5": [], "2.0.0": [] } } },
    });
    const installed = { "app@m": { version: "1.0.0", enabled: true }, "lib@m": { version: "1.0.5", auto: true, enabled: true } };
    const error = thrown(() => resolve({ roots: [{ plugin: "app2@m" }] }, catalog, { installed }));
    expect(error.code).toBe("E_RANGE_CONFLICT");
    expect(error.message).toBe("Because app2@m@1.0.0 depends on lib@m ^2.0.0 and app@m@1.0.0 depends on lib@m ~1.0.0, app2@m and app@m cannot both be installed.");
    expect(error.hint).toContain("agent plugin update app@m");
  });

  it("E_NO_MATCHING_VERSION lists the versions that exist and explains prereleases", () => {
    const catalog = plainCatalog({ m: { plugins: { app3: { "1.0.0": [{ name: "lib", version: "^3.0.0" }] }, lib: { "1.0.0": [], "2.0.0": [], "3.1.0-rc.1": [] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "app3@m" }] }, catalog));
    expect(error.code).toBe("E_NO_MATCHING_VERSION");
    expect(error.message).toBe("No version of lib@m matches ^3.0.0 (required by app3@m@1.0.0); available: 2.0.0, 1.0.0, 3.1.0-rc.1");
    expect(error.details).toMatchObject({ versions: ["2.0.0", "1.0.0", "3.1.0-rc.1"], range: "^3.0.0", requiredBy: "app3@m@1.0.0" });
    expect((error.details.derivation as string[])[0]).toContain("the prerelease 3.1.0-rc.1 matches only a range that names a prerelease of the same version, e.g. ^3.1.0-rc.1");
  });

  it("E_NO_MATCHING_VERSION for a requested range", () => {
    const catalog = plainCatalog({ m: { plugins: { lib: { "1.0.0": [] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "lib@m", range: ">=2" }] }, catalog));
    expect([error.code, error.message, error.hint]).toEqual(["E_NO_MATCHING_VERSION", "No version of lib@m matches >=2; available: 1.0.0", "Pick one of the available versions (1.0.0)."]);
  });

  it("E_NOT_FOUND suggests the closest names across marketplaces", () => {
    const catalog = plainCatalog({ m: { plugins: { app: { "1.0.0": ["helpr"] }, helper: { "1.0.0": [] } } }, n: { plugins: { formatter: { "1.0.0": [] } } } });
    const dep = thrown(() => resolve({ roots: [{ plugin: "app@m" }] }, catalog));
    expect([dep.code, dep.message, dep.hint]).toEqual(["E_NOT_FOUND", 'Dependency "helpr@m" (required by app@m@1.0.0) not found in marketplace "m"', "Did you mean helper@m?"]);
    const root = thrown(() => resolve({ roots: [{ plugin: "formater@n" }] }, catalog));
    expect([root.code, root.hint, root.details.suggestions]).toEqual(["E_NOT_FOUND", "Did you mean formatter@n?", ["formatter@n"]]);
    const market = thrown(() => resolve({ roots: [{ plugin: "formatter@nn" }] }, catalog));
    expect([market.message, market.hint]).toEqual(['Plugin "formatter@nn" not found: marketplace "nn" is not added', "Did you mean formatter@n?"]);
    const bare = thrown(() => resolve({ roots: [{ plugin: "formater" }] }, catalog));
    expect([bare.code, bare.hint]).toEqual(["E_NOT_FOUND", "Did you mean formatter@n?"]);
  });

  it("E_AMBIGUOUS for a bare name two marketplaces offer", () => {
    const catalog = plainCatalog({ m: { plugins: { x: { "1.0.0": [] } } }, n: { plugins: { x: { "1.0.0": [] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "x" }] }, catalog));
    expect([error.code, error.details.candidates]).toEqual(["E_AMBIGUOUS", ["x@m", "x@n"]]);
  });

  it("E_POLICY_BLOCKED for a blocked plugin, a blocked dependency and a blocked marketplace", () => {
    const catalog = plainCatalog({ m: { plugins: { alpha: { "1.0.0": ["beta"] }, beta: { "1.0.0": [] } } } });
    const root = thrown(() => resolve({ roots: [{ plugin: "beta@m" }] }, catalog, { policy: { blockedPlugins: ["beta@m"] } }));
    expect([root.code, root.message]).toEqual(["E_POLICY_BLOCKED", `Plugin "beta@m" is blocked by your organization's policy`]);
    const dep = thrown(() => resolve({ roots: [{ plugin: "alpha@m" }] }, catalog, { policy: { blockedPlugins: ["beta@m"] } }));
    expect([dep.code, dep.message]).toEqual(["E_POLICY_BLOCKED", `Dependency "beta@m" (required by alpha@m@1.0.0) is blocked by your organization's policy`]);
    expect(dep.hint).toContain('enabledPlugins ("beta@m": false)');
    const market = thrown(() => resolve({ roots: [{ plugin: "alpha@m" }] }, catalog, { policy: { blockedMarketplaces: ["m"] } }));
    expect([market.code, market.details.blocked]).toEqual(["E_POLICY_BLOCKED", "marketplace"]);
  });

  it("E_INVALID_RANGE names the plugin that declares it", () => {
    const catalog = plainCatalog({ m: { plugins: { app4: { "1.0.0": [{ name: "lib", version: "not a range!!" }] }, lib: { "1.0.0": [] } } } });
    const error = thrown(() => resolve({ roots: [{ plugin: "app4@m" }] }, catalog));
    expect([error.code, error.message]).toEqual(["E_INVALID_RANGE", 'app4@m@1.0.0 declares an invalid version range for lib@m: "not a range!!"']);
  });

  it("falls back to an older version whose dependencies exist, and says why when none does", () => {
    const catalog = plainCatalog({ m: { plugins: { app: { "2.0.0": ["gone"], "1.0.0": [] } } } });
    expect(resolve({ roots: [{ plugin: "app@m" }] }, catalog).steps.map((s) => s.version)).toEqual(["1.0.0"]);
    const strict = thrown(() => resolve({ roots: [{ plugin: "app@m", range: "^2" }] }, catalog));
    expect(strict.code).toBe("E_NOT_FOUND");
  });
});
