import { describe, expect, it } from "vitest";
import { resolve } from "../../resolver/resolve.js";
import { diffLockfile, formatLockfile, frozenMismatchError, lockfileFromPlan, lockfileSchema, serializeLockfile } from "../../schemas/lockfile.js";
import { plainCatalog, thrown } from "./plain-catalog.js";

const graph = {
  m: {
    allow: ["n"],
    plugins: {
      app: { "1.0.0": ["zeta", "alpha", "tool@n"], "0.9.0": [] },
      zeta: { "2.0.0": [{ name: "alpha", version: "^1" }], "1.0.0": [] },
      alpha: { "1.1.0": [], "1.0.0": [] },
    },
  },
  n: { plugins: { tool: { "3.0.0": [] } } },
};

describe("agent-lock.json", () => {
  it("serializes a plan with sorted ids, fixed key order and a trailing newline", () => {
    const plan = resolve({ roots: [{ plugin: "app@m" }] }, plainCatalog(graph));
    const text = serializeLockfile(plan);
    expect(text.endsWith("}\n")).toBe(true);
    const parsed = lockfileSchema.parse(JSON.parse(text));
    expect(Object.keys(parsed.plugins)).toEqual(["alpha@m", "app@m", "tool@n", "zeta@m"]);
    expect(Object.keys(JSON.parse(text).plugins["zeta@m"])).toEqual(["version", "resolved", "integrity", "dependencies", "auto"]);
    expect(parsed.plugins["app@m"]).toEqual({ version: "1.0.0", resolved: "m:./plugins/app#1.0.0", integrity: expect.stringMatching(/^sha512-/), dependencies: ["alpha@m", "tool@n", "zeta@m"] });
  });

  it("is byte-identical for the same input, whatever order the catalog lists things in", () => {
    const reversed = Object.fromEntries(
      Object.entries(graph)
        .reverse()
        .map(([k, v]) => [k, { ...v, plugins: Object.fromEntries(Object.entries(v.plugins).reverse().map(([p, vs]) => [p, Object.fromEntries(Object.entries(vs).reverse())])) }]),
    );
    const a = serializeLockfile(resolve({ roots: [{ plugin: "app@m" }] }, plainCatalog(graph)));
    const b = serializeLockfile(resolve({ roots: [{ plugin: "app@m" }] }, plainCatalog(graph)));
    const c = serializeLockfile(resolve({ roots: [{ plugin: "app@m" }] }, plainCatalog(reversed)));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(formatLockfile(lockfileSchema.parse(JSON.parse(a)))).toBe(a);
  });

  it("refuses to lock a step whose integrity is not known yet", () => {
    const plan = resolve({ roots: [{ plugin: "alpha@m" }] }, plainCatalog(graph));
    const error = thrown(() => lockfileFromPlan({ steps: plan.steps.map(({ integrity: _, ...s }) => s) }));
    expect(error.code).toBe("E_INTERNAL");
  });

  it("diffs a lockfile against a plan field by field, for --frozen", () => {
    const plan = resolve({ roots: [{ plugin: "app@m" }] }, plainCatalog(graph));
    const lock = lockfileFromPlan(plan);
    expect(diffLockfile(lock, plan)).toEqual([]);
    lock.plugins["alpha@m"]!.version = "1.0.0";
    lock.plugins["tool@n"]!.commit = "0123456789abcdef0123456789abcdef01234567";
    lock.plugins["old@m"] = { version: "0.1.0", resolved: "m:./plugins/old", integrity: "sha512-AAAA", dependencies: [] };
    delete lock.plugins["zeta@m"];
    const differences = diffLockfile(lock, plan);
    expect(differences).toEqual([
      { id: "alpha@m", field: "version", locked: "1.0.0", planned: "1.1.0" },
      { id: "tool@n", field: "commit", locked: "0123456789abcdef0123456789abcdef01234567", planned: null },
      { id: "zeta@m", field: "plugin", locked: null, planned: "2.0.0" },
      { id: "old@m", field: "extra", locked: "0.1.0", planned: null },
    ]);
    expect(diffLockfile(lock, plan, { onlyPlanned: true }).map((d) => d.id)).toEqual(["alpha@m", "tool@n", "zeta@m"]);
    const error = frozenMismatchError(differences, ".agent/agent-lock.json");
    expect(error.code).toBe("E_FROZEN_MISMATCH");
    expect(error.message).toContain("alpha@m: version 1.0.0 locked, 1.1.0 now");
    expect(error.hint).toBe("Install without --frozen to update .agent/agent-lock.json, then commit it.");
  });

  it("resolving with the lockfile's versions as preferences reproduces it", () => {
    const catalog = plainCatalog(graph);
    const lock = lockfileFromPlan(resolve({ roots: [{ plugin: "app@m" }] }, catalog));
    lock.plugins["alpha@m"]!.version = "1.0.0";
    lock.plugins["alpha@m"]!.resolved = "m:./plugins/alpha#1.0.0";
    lock.plugins["alpha@m"]!.integrity = catalog.versions("alpha@m").find((c) => c.version === "1.0.0")!.integrity!;
    const locked = Object.fromEntries(Object.entries(lock.plugins).map(([id, p]) => [id, p.version]));
    const plan = resolve({ roots: [{ plugin: "app@m" }] }, catalog, { locked });
    expect(diffLockfile(lock, plan)).toEqual([]);
    expect(serializeLockfile(plan)).toBe(formatLockfile(lock));
  });
});
