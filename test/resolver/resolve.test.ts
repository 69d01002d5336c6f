import { describe, expect, it } from "vitest";
import { resolve } from "../../resolver/resolve.js";
import { why } from "../../resolver/why.js";
import { plainCatalog } from "./plain-catalog.js";

const versionsOf = (plan: ReturnType<typeof resolve>) => Object.fromEntries(plan.steps.map((s) => [s.id, s.version]));

describe("resolve: picking versions", () => {
  it("installs a chain dependencies first, with reasons and auto flags", () => {
    const catalog = plainCatalog({ m: { plugins: { alpha: { "1.0.0": ["beta"] }, beta: { "1.0.0": ["gamma"] }, gamma: { "1.0.0": [] } } } });
    const plan = resolve({ roots: [{ plugin: "alpha@m" }] }, catalog);
    expect(plan.steps.map((s) => [s.id, s.reason, s.auto, s.action])).toEqual([
      ["gamma@m", { kind: "dependency", of: ["beta@m"] }, true, "add"],
      ["beta@m", { kind: "dependency", of: ["alpha@m"] }, true, "add"],
      ["alpha@m", { kind: "requested" }, false, "add"],
    ]);
    expect(plan.steps[2]).toMatchObject({ name: "alpha", marketplace: "m", dependencies: ["beta@m"], resolved: "m:./plugins/alpha#1.0.0", source: { path: "./plugins/alpha" } });
  });

  it("resolves a diamond to one version of the shared dependency satisfying both ranges", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          app: { "1.0.0": ["left", "right"] },
          left: { "1.0.0": [{ name: "base", version: ">=1.2.0" }] },
          right: { "1.0.0": [{ name: "base", version: "<2.0.0" }] },
          base: { "1.0.0": [], "1.2.0": [], "1.9.9": [], "2.0.0": [] },
        },
      },
    });
    const plan = resolve({ roots: [{ plugin: "app@m" }] }, catalog);
    expect(versionsOf(plan)["base@m"]).toBe("1.9.9");
    expect(plan.steps.filter((s) => s.id === "base@m")).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ id: "base@m", reason: { kind: "dependency", of: ["left@m", "right@m"] } });
    expect(why(plan, "base@m")).toEqual([
      ["app@m", "left@m", "base@m"],
      ["app@m", "right@m", "base@m"],
    ]);
  });

  it("picks the highest version in the intersection of all ranges", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          a: { "1.0.0": [{ name: "c", version: "^1.0.0" }] },
          b: { "1.0.0": [{ name: "c", version: "~1.2.0" }] },
          c: { "1.0.0": [], "1.2.0": [], "1.2.7": [], "1.3.0": [], "2.0.0": [] },
        },
      },
    });
    expect(versionsOf(resolve({ roots: [{ plugin: "a@m" }, { plugin: "b@m" }] }, catalog))["c@m"]).toBe("1.2.7");
    expect(versionsOf(resolve({ roots: [{ plugin: "a@m" }] }, catalog))["c@m"]).toBe("1.3.0");
  });

  it("honours the legacy \"name@^1.2\" string as a range", () => {
    const catalog = plainCatalog({ m: { plugins: { app: { "1.0.0": ["lib@^1.2"] }, lib: { "1.1.0": [], "1.2.5": [], "2.0.0": [] } } } });
    expect(versionsOf(resolve({ roots: [{ plugin: "app@m" }] }, catalog))["lib@m"]).toBe("1.2.5");
  });

  it("backtracks to an older version of a dependent when the newest cannot fit", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          app: { "1.0.0": ["x", { name: "c", version: "^1.0.0" }] },
          x: { "2.0.0": [{ name: "c", version: "^2.0.0" }], "1.5.0": [{ name: "c", version: "^1.0.0" }] },
          c: { "1.4.0": [], "2.1.0": [] },
        },
      },
    });
    expect(versionsOf(resolve({ roots: [{ plugin: "app@m" }] }, catalog))).toEqual({ "app@m": "1.0.0", "x@m": "1.5.0", "c@m": "1.4.0" });
  });

  it("skips prereleases unless a range opts in (node-semver), and takes one when it is all there is", () => {
    const catalog = plainCatalog({
      m: {
        plugins: {
          plain: { "1.0.0": ["lib"] },
          caret: { "1.0.0": [{ name: "lib", version: "^2.0.0" }] },
          optin: { "1.0.0": [{ name: "lib", version: "^2.1.0-0" }] },
          lib: { "2.0.0": [], "2.1.0-beta.2": [], "2.1.0-beta.10": [], "3.0.0-rc.1": [] },
          only: { "1.0.0": ["pre"] },
          pre: { "0.1.0-alpha.1": [] },
        },
      },
    });
    expect(versionsOf(resolve({ roots: [{ plugin: "plain@m" }] }, catalog))["lib@m"]).toBe("2.0.0");
    expect(versionsOf(resolve({ roots: [{ plugin: "caret@m" }] }, catalog))["lib@m"]).toBe("2.0.0");
    expect(versionsOf(resolve({ roots: [{ plugin: "optin@m" }] }, catalog))["lib@m"]).toBe("2.1.0-beta.10");
    expect(versionsOf(resolve({ roots: [{ plugin: "only@m" }] }, catalog))["pre@m"]).toBe("0.1.0-alpha.1");
  });

  it("accepts opaque versions (sha12, unknown) for dependencies without a range", () => {
    const catalog = plainCatalog({ m: { plugins: { app: { "1.0.0": ["nover"] }, nover: { a089332f158e: [] } } } });
    expect(versionsOf(resolve({ roots: [{ plugin: "app@m" }] }, catalog))["nover@m"]).toBe("a089332f158e");
  });

  it("finds a bare name in the one marketplace that offers it", () => {
    const catalog = plainCatalog({ m: { plugins: { a: { "1.0.0": [] } } }, n: { plugins: { b: { "1.0.0": [] } } } });
    expect(resolve({ roots: [{ plugin: "b" }] }, catalog).steps.map((s) => s.id)).toEqual(["b@n"]);
  });

  it("follows an allowlisted cross-marketplace dependency", () => {
    const catalog = plainCatalog({ a: { allow: ["b"], plugins: { crossy: { "1.0.0": ["delta@b"] } } }, b: { plugins: { delta: { "1.0.0": [] } } } });
    expect(resolve({ roots: [{ plugin: "crossy@a" }] }, catalog).steps.map((s) => [s.id, s.auto])).toEqual([
      ["delta@b", true],
      ["crossy@a", false],
    ]);
  });
});

describe("resolve: installed state", () => {
  const catalog = plainCatalog({
    m: {
      plugins: {
        app: { "1.0.0": [{ name: "lib", version: "~1.0.0" }] },
        app2: { "1.0.0": [{ name: "lib", version: ">=1.0.0" }] },
        lib: { "1.0.0": [], "1.0.5": [], "2.0.0": [] },
      },
    },
  });

  it("keeps an installed version that satisfies the ranges instead of upgrading it (minimal churn)", () => {
    const plan = resolve({ roots: [{ plugin: "app2@m" }] }, catalog, { installed: { "lib@m": { version: "1.0.0", auto: true } } });
    expect(plan.steps.find((s) => s.id === "lib@m")).toMatchObject({ version: "1.0.0", action: "keep", auto: true });
  });

  it("moves to the newest version when asked to upgrade", () => {
    const plan = resolve({ roots: [{ plugin: "app2@m" }] }, catalog, { installed: { "lib@m": { version: "1.0.0" } }, upgrade: ["lib@m"] });
    expect(plan.steps.find((s) => s.id === "lib@m")).toMatchObject({ version: "2.0.0", action: "change", previousVersion: "1.0.0", auto: false });
  });

  it("reports an upgrade held back by an installed plugin's range", () => {
    const installed = { "app@m": { version: "1.0.0", enabled: true }, "lib@m": { version: "1.0.0", auto: true, enabled: true } };
    const plan = resolve({ roots: [{ plugin: "lib@m", requested: false }] }, catalog, { installed, upgrade: ["lib@m"] });
    expect(plan.steps.map((s) => [s.id, s.version, s.action, s.reason.kind])).toEqual([
      ["lib@m", "1.0.5", "change", "dependency"],
      ["app@m", "1.0.0", "keep", "installed"],
    ]);
    expect(plan.heldBack).toEqual([{ id: "lib@m", version: "1.0.5", latest: "2.0.0", constraints: [{ range: "~1.0.0", by: "app@m@1.0.0" }] }]);
  });

  it("prefers the locked version over the installed and the newest ones", () => {
    const plan = resolve({ roots: [{ plugin: "app2@m" }] }, catalog, { installed: { "lib@m": { version: "1.0.0" } }, locked: { "lib@m": "1.0.5" } });
    expect(plan.steps.find((s) => s.id === "lib@m")?.version).toBe("1.0.5");
  });

  it("does not cross-check a cross-marketplace dependency the user installed", () => {
    const cross = plainCatalog({ a: { plugins: { crossy: { "1.0.0": ["delta@b"] } } }, b: { plugins: { delta: { "1.0.0": [] } } } });
    const plan = resolve({ roots: [{ plugin: "crossy@a" }] }, cross, { installed: { "delta@b": { version: "1.0.0" } } });
    expect(plan.steps.map((s) => [s.id, s.action])).toEqual([
      ["delta@b", "keep"],
      ["crossy@a", "add"],
    ]);
  });
});
