import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { validatePath } from "../../registry/validate/validate-path.js";
import { validationReportSchema } from "../../schemas/validation-report.js";
import { agent } from "../support/run-agent.js";

/**
 * Fuzzed plugin.json files: random JSON, wrong types, 10k-level nesting, 10 MB strings, invalid UTF-8 and
 * prototype keys. Every one is invalid by construction, so validate must report an error (exit 1) — and
 * never throw, crash or print a stack trace.
 */
const base = mkdtempSync(join(tmpdir(), "agent-fuzz-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

function writePlugin(bytes: string | Uint8Array): string {
  const dir = join(base, String(counter++));
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  writeFileSync(join(dir, ".claude-plugin", "plugin.json"), bytes);
  return dir;
}

async function expectCleanFailure(bytes: string | Uint8Array): Promise<void> {
  const dir = writePlugin(bytes);
  const report = validatePath(dir);
  expect(() => validationReportSchema.parse(report)).not.toThrow();
  expect(report.findings.length).toBeGreaterThan(0);
  expect(report.errors).toBeGreaterThan(0);
  expect(report.findings.some((f) => f.code === "internal")).toBe(false);
  for (const f of report.findings) expect(f.message.length).toBeLessThan(2_000);
  const run = await agent(["plugin", "validate", dir]);
  expect(run.status).toBe(1);
  expect(run.stderr).toBe("");
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(run.stdout).toContain("✘ Validation failed");
  rmSync(dir, { recursive: true, force: true });
}

const manifestKeys = ["name", "version", "description", "author", "homepage", "keywords", "dependencies", "commands", "agents", "skills", "hooks", "mcpServers", "lspServers", "userConfig", "outputStyles", "experimental", "channels", "binaries", "defaultEnabled", "$schema"];
const protoKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

describe("fuzzed plugin.json", () => {
  it("random JSON that is not an object", async () => {
    const notObject = fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v));
    await fc.assert(fc.asyncProperty(notObject, (v) => expectCleanFailure(JSON.stringify(v))), { numRuns: 60 });
  });

  it("random objects without a string name", async () => {
    const obj = fc.record({ extra: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), name: fc.oneof(fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())) });
    await fc.assert(fc.asyncProperty(obj, ({ extra, name }) => expectCleanFailure(JSON.stringify({ ...extra, name }))), { numRuns: 60 });
  });

  it("known fields with values of the wrong type", async () => {
    const wrong = fc.record({ key: fc.constantFrom(...manifestKeys.filter((k) => k !== "name")), value: fc.oneof(fc.integer(), fc.constant(null)), rest: fc.dictionary(fc.constantFrom(...manifestKeys), fc.jsonValue({ maxDepth: 3 })) });
    await fc.assert(fc.asyncProperty(wrong, ({ key, value, rest }) => expectCleanFailure(JSON.stringify({ ...rest, name: "fuzz", [key]: value }))), { numRuns: 80 });
  });

  it("10,000 levels of nesting", async () => {
    const deep = fc.record({ depth: fc.integer({ min: 1_000, max: 10_000 }), key: fc.constantFrom("keywords", "hooks", "mcpServers", "dependencies", "userConfig", "name", "author"), array: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(deep, ({ depth, key, array }) => {
        const nested = array ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
        return expectCleanFailure(`{"name": "fuzz", "version": 1, "${key}": ${nested}}`);
      }),
      { numRuns: 8 },
    );
    await expectCleanFailure("[".repeat(10_000) + "]".repeat(10_000));
  });

  it("10 MB strings", async () => {
    const huge = fc.record({ key: fc.constantFrom("name", "version", "homepage", "commands", "keywords"), ch: fc.constantFrom("a", " ", "é", "\u0000", "😀") });
    await fc.assert(
      fc.asyncProperty(huge, ({ key, ch }) => {
        const s = `x ${ch.repeat(Math.ceil(10_000_000 / ch.length))}`;
        return expectCleanFailure(JSON.stringify({ name: key === "name" ? s : "fuzz", [key]: key === "keywords" ? s : s }));
      }),
      { numRuns: 4 },
    );
  });

  it("bytes that are not UTF-8", async () => {
    // the prefix is whole UTF-8 characters, so no random lead byte can make the bad byte that follows valid
    // (0xC2 then 0x80 is U+0080); any bytes may follow it
    const prefix = fc.string({ unit: "binary", maxLength: 100 }).map((s) => Buffer.from(s, "utf8"));
    const bytes = fc.record({ prefix, bad: fc.constantFrom(0xff, 0xfe, 0xc0, 0x80, 0xed), suffix: fc.uint8Array({ maxLength: 200 }) });
    await fc.assert(fc.asyncProperty(bytes, ({ prefix, bad, suffix }) => expectCleanFailure(Uint8Array.from([...Buffer.from('{"name": "'), ...prefix, bad, ...(bad === 0xed ? [0xa0, 0x80] : []), ...suffix, ...Buffer.from('"}')]))), { numRuns: 60 });
  });

  it("prototype keys anywhere, without polluting Object.prototype", async () => {
    const leaf = fc.jsonValue({ maxDepth: 2 });
    const poisoned = fc.dictionary(fc.constantFrom(...protoKeys), leaf, { minKeys: 1 });
    const manifest = fc.record({
      top: poisoned,
      userConfig: fc.dictionary(fc.constantFrom(...protoKeys), fc.record({ type: fc.constant("string"), title: fc.string(), description: fc.string(), __proto__: leaf })),
      hooks: poisoned,
      mcpServers: poisoned,
      dependencies: fc.array(fc.record({ name: fc.constantFrom(...protoKeys), __proto__: leaf })),
    });
    await fc.assert(
      fc.asyncProperty(manifest, ({ top, ...fields }) => {
        // a name that is an object keeps every case invalid
        const text = JSON.stringify({ ...fields, name: { __proto__: { polluted: true } } }).replace(/^\{/, `{${JSON.stringify(top).slice(1, -1)}${Object.keys(top).length ? "," : ""}`);
        return expectCleanFailure(text);
      }),
      { numRuns: 60 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
