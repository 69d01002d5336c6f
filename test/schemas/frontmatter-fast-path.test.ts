import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parsePlainFrontmatter } from "../../schemas/frontmatter.js";

/** The fast path must never disagree with YAML: it either returns YAML's own result or declines. */
describe("plain frontmatter fast path", () => {
  it("reads the common one-line-per-field frontmatter", () => {
    expect(parsePlainFrontmatter("name: helper\ndescription: Helps with task 1 (and more)\ntools: Read, Grep")).toEqual({ name: "helper", description: "Helps with task 1 (and more)", tools: "Read, Grep" });
  });

  it("declines what only YAML can read", () => {
    for (const text of ["a: 'q'", "a: 1", "a: true", "a: null", "a: [x]", "a: x # c", "a: b: c", "a:\n  - x", "a: x\na: y", "a: |\n  x", "a: ~", "a: -x", "a: .5", "a: yes"])
      expect(parsePlainFrontmatter(text), text).toBeUndefined();
  });

  it("agrees with the YAML parser on random input", () => {
    const chars = fc.constantFrom(..."abcXYZ019 -_:#'\"[]{},.&*!|>%@`?~()/$\t".split(""));
    const value = fc.string({ unit: chars, maxLength: 20 });
    const key = fc.constantFrom("name", "description", "tools", "a-b", "x_y", "9z", "");
    const line = fc.tuple(key, fc.constantFrom(": ", ":", ":\t", " : "), value).map(([k, s, v]) => k + s + v);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), (lines) => {
        const text = lines.join("\n");
        const fast = parsePlainFrontmatter(text);
        if (fast === undefined) return;
        expect(parse(text) ?? {}).toEqual(fast);
      }),
      { numRuns: 3000 },
    );
  });
});
