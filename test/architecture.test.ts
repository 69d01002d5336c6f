import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports flow one way: cli → installer | host → registry → resolver → schemas.
 * schemas/ and resolver/ never touch disk, network, processes or the clock.
 */
const root = resolve(import.meta.dirname, "..");
const layers = ["schemas", "resolver", "registry", "installer", "host", "cli"] as const;
type Layer = (typeof layers)[number];
const allowed: Record<Layer, Layer[]> = {
  schemas: ["schemas"],
  resolver: ["resolver", "schemas"],
  registry: ["registry", "resolver", "schemas"],
  installer: ["installer", "registry", "resolver", "schemas"],
  host: ["host", "registry", "resolver", "schemas"],
  cli: [...layers],
};
const ioModules = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|os|worker_threads|cluster|tls|process|readline)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.[cm]?tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']/g), ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)];
  return specs.map((m) => m[1]!);
}

describe("architecture", () => {
  for (const layer of layers) {
    it(`${layer}/ imports only ${allowed[layer].join(", ")}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(root, layer))) {
        for (const spec of importsOf(file)) {
          if (spec.startsWith(".")) {
            const target = relative(root, resolve(dirname(file), spec)).split("/")[0] as Layer;
            if ((layers as readonly string[]).includes(target) && !allowed[layer].includes(target)) violations.push(`${relative(root, file)} → ${spec}`);
          } else if ((layer === "schemas" || layer === "resolver") && ioModules.test(spec)) {
            violations.push(`${relative(root, file)} does I/O through ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});

describe("start-up", () => {
  it("no module imports node:fs/promises (loading it loads streams and readline): registry/files/async-fs.ts has the promise functions", () => {
    const importers = layers
      .flatMap((layer) => sourceFiles(join(root, layer)))
      .filter((file) => importsOf(file).some((spec) => /^(node:)?fs\/promises$/.test(spec)))
      .map((file) => relative(root, file));
    expect(importers).toEqual([]);
  });
});

describe("honest tests", () => {
  it("no test is skipped, marked todo, focused or made conditional", () => {
    const offenders = sourceFiles(join(root, "test"))
      .filter((file) => /\b(?:it|test|describe)\s*\.\s*(?:skip|todo|only|skipIf|runIf)\b|\bctx\.skip\(/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
