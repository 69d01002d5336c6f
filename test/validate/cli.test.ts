import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";

const fixtures = resolve(import.meta.dirname, "../../fixtures/validate");

describe("agent plugin validate (CLI)", () => {
  it("prints Claude Code's layout for a failing plugin and exits 1", async () => {
    const run = await agent(["plugin", "validate", join(fixtures, "version-banana")]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`Validating plugin manifest: ${join(fixtures, "version-banana", ".claude-plugin", "plugin.json")}`);
    expect(run.stdout).toContain("✘ Found 1 error(s):\n");
    expect(run.stdout).toContain('  ❯ version: "banana" is not a valid semver version [semver-invalid]\n    hint: Use MAJOR.MINOR.PATCH');
    expect(lines.filter(Boolean).at(-1)).toBe("✘ Validation failed");
    expect(run.stderr).toBe("");
  });

  it("passes a clean plugin with exit 0", async () => {
    const run = await agent(["plugin", "validate", join(fixtures, "good-plugin")]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("✔ Validation passed");
  });

  it("passes with warnings, and fails them under --strict", async () => {
    const lax = await agent(["plugin", "validate", join(fixtures, "unknown-fields")]);
    expect(lax.status).toBe(0);
    expect(lax.stdout).toContain("⚠ Found 3 warning(s):");
    expect(lax.stdout).toContain("  ❯ descripton: Unknown field 'descripton' — did you mean 'description'?");
    expect(lax.stdout.trim().split("\n").at(-1)).toBe("✔ Validation passed with warnings");
    const strict = await agent(["plugin", "validate", "--strict", join(fixtures, "unknown-fields")]);
    expect(strict.status).toBe(1);
    expect(strict.stdout.trim().split("\n").at(-1)).toBe("✘ Validation failed (--strict treats warnings as errors)");
  });

  it("prints the report object with --json", async () => {
    const run = await agent(["plugin", "validate", "--json", join(fixtures, "duplicate-plugin")]);
    expect(run.status).toBe(1);
    const report = run.json();
    expect(report).toMatchObject({ kind: "marketplace", errors: 2, warnings: 0, ok: false, strict: false });
    expect(report.findings[0]).toEqual({
      severity: "error",
      code: "duplicate-plugin",
      path: "plugins[0].name",
      message: 'Duplicate plugin name "p" found in marketplace',
      hint: "Plugin IDs are name@marketplace, so names must be unique.",
    });
  });

  it("resolves a relative path against the working directory and reports a missing one", async () => {
    const ok = await agent(["plugin", "validate", "good-marketplace"], { cwd: fixtures });
    expect(ok.status).toBe(0);
    expect(ok.stdout.split("\n")[0]).toBe(`Validating marketplace manifest: ${join(fixtures, "good-marketplace", ".claude-plugin", "marketplace.json")}`);
    const missing = await agent(["plugin", "validate", "nope"], { cwd: fixtures });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(`  ❯ file: File not found: ${join(fixtures, "nope")}`);
  });

  it("prefixes findings of a listed plugin's plugin.json", async () => {
    const run = await agent(["plugin", "validate", join(fixtures, "entry-plugin-json-error")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("  ❯ plugins[0] plugin.json → keywords: Invalid input: expected array, received string");
  });
});
