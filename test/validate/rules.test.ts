import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { validatePath } from "../../registry/validate/validate-path.js";
import { validationReportSchema, type FindingCode } from "../../schemas/validation-report.js";

const fixtures = resolve(import.meta.dirname, "../../fixtures/validate");

type Verdict = "ok" | "warn" | "error";
interface Row {
  fixture: string;
  /** Claude Code 2.1.197's verdict from reference §11 (undefined: a rule Claude Code does not check) */
  claude?: Verdict;
  verdict: Verdict;
  codes: FindingCode[];
  /** why agent is stricter than Claude Code on this row (reference §14 item 4) */
  stricter?: string;
  kind?: "plugin" | "marketplace" | null;
}

/** One fixture per rule. The `claude` column is the §11 results table, row by row. */
const table: Row[] = [
  // §11: plugin rows
  { fixture: "good-plugin", claude: "ok", verdict: "ok", codes: [] },
  { fixture: "bad-json", claude: "error", verdict: "error", codes: ["manifest-json"] },
  { fixture: "name-missing", claude: "error", verdict: "error", codes: ["type-invalid"] },
  { fixture: "name-empty", claude: "error", verdict: "error", codes: ["name-empty"] },
  { fixture: "name-spaces", claude: "error", verdict: "error", codes: ["name-invalid"] },
  { fixture: "name-not-kebab", claude: "warn", verdict: "warn", codes: ["name-not-kebab"] },
  { fixture: "path-traversal", claude: "error", verdict: "error", codes: ["path-traversal", "path-invalid"] },
  { fixture: "path-no-dot-slash", claude: "error", verdict: "error", codes: ["path-invalid"] },
  { fixture: "path-not-found", claude: "error", verdict: "error", codes: ["path-not-found"] },
  { fixture: "unknown-fields", claude: "warn", verdict: "warn", codes: ["unknown-field"] },
  { fixture: "version-not-semver", claude: "ok", verdict: "error", codes: ["semver-invalid"], stricter: "Claude Code never validates semver" },
  { fixture: "version-banana", claude: "ok", verdict: "error", codes: ["semver-invalid"], stricter: "Claude Code never validates semver" },
  { fixture: "version-missing", claude: "warn", verdict: "warn", codes: ["version-missing"] },
  { fixture: "metadata-missing", claude: "warn", verdict: "warn", codes: ["description-missing", "author-missing"] },
  { fixture: "keywords-string", claude: "error", verdict: "error", codes: ["type-invalid"] },
  { fixture: "homepage-invalid", claude: "error", verdict: "error", codes: ["url-invalid"] },
  { fixture: "hooks-json-broken", claude: "error", verdict: "error", codes: ["manifest-json"] },
  { fixture: "hook-event-unknown", claude: "error", verdict: "error", codes: ["hook-event-unknown"] },
  { fixture: "hook-handler-type", claude: "error", verdict: "error", codes: ["hook-invalid"] },
  { fixture: "userconfig-invalid", claude: "error", verdict: "error", codes: ["userconfig-invalid"] },
  { fixture: "dependency-invalid", claude: "error", verdict: "error", codes: ["dependency-invalid"] },
  { fixture: "experimental-top-level", claude: "warn", verdict: "warn", codes: ["experimental-top-level"] },
  { fixture: "no-manifest", claude: "error", verdict: "error", codes: ["no-manifest"], kind: null },
  { fixture: "does-not-exist", claude: "error", verdict: "error", codes: ["file-not-found"], kind: null },
  { fixture: "mcp-inline-invalid", claude: "error", verdict: "error", codes: ["mcp-invalid"] },
  { fixture: "lsp-invalid", claude: "error", verdict: "error", codes: ["lsp-invalid"] },
  { fixture: "frontmatter-yaml", claude: "error", verdict: "error", codes: ["frontmatter-yaml"] },
  { fixture: "frontmatter-missing", claude: "warn", verdict: "warn", codes: ["frontmatter-missing"] },
  { fixture: "agent-frontmatter", verdict: "warn", codes: ["frontmatter-invalid", "description-missing"] },
  // §11: marketplace rows
  { fixture: "good-marketplace", claude: "ok", verdict: "ok", codes: [], kind: "marketplace" },
  { fixture: "duplicate-plugin", claude: "error", verdict: "error", codes: ["duplicate-plugin"], kind: "marketplace" },
  { fixture: "source-traversal", claude: "error", verdict: "error", codes: ["path-traversal", "source-invalid"], kind: "marketplace" },
  { fixture: "owner-missing", claude: "error", verdict: "error", codes: ["type-invalid", "no-plugins"], kind: "marketplace" },
  { fixture: "impersonation", claude: "error", verdict: "error", codes: ["impersonation", "no-plugins"], kind: "marketplace" },
  { fixture: "pseudo-name", claude: "error", verdict: "error", codes: ["reserved-name", "no-plugins"], kind: "marketplace" },
  { fixture: "reserved-name", claude: "warn", verdict: "warn", codes: ["reserved-name", "no-plugins"], kind: "marketplace" },
  { fixture: "version-mismatch", claude: "warn", verdict: "warn", codes: ["version-mismatch"], kind: "marketplace" },
  { fixture: "renames-invalid", claude: "error", verdict: "error", codes: ["rename-invalid"], kind: "marketplace" },
  { fixture: "no-plugins", claude: "warn", verdict: "warn", codes: ["no-plugins", "description-missing"], kind: "marketplace" },
  { fixture: "source-pip", claude: "error", verdict: "error", codes: ["source-invalid"], kind: "marketplace" },
  { fixture: "source-github-no-repo", claude: "error", verdict: "error", codes: ["source-invalid"], kind: "marketplace" },
  { fixture: "source-bad-sha", claude: "error", verdict: "error", codes: ["source-invalid"], kind: "marketplace" },
  { fixture: "source-no-dot-slash", claude: "error", verdict: "error", codes: ["source-invalid"], kind: "marketplace" },
  { fixture: "entry-unknown-field", claude: "warn", verdict: "warn", codes: ["unknown-field"], kind: "marketplace" },
  { fixture: "entry-plugin-json-warning", claude: "warn", verdict: "warn", codes: ["version-missing"], kind: "marketplace" },
  { fixture: "entry-plugin-json-error", claude: "error", verdict: "error", codes: ["type-invalid"], kind: "marketplace" },
  { fixture: "marketplace-unknown-field", claude: "warn", verdict: "warn", codes: ["unknown-field", "no-plugins"], kind: "marketplace" },
  // beyond Claude Code (§14 item 4, issue 3 item 3)
  { fixture: "dependency-legacy-range", verdict: "warn", codes: ["dependency-legacy-range"] },
  { fixture: "dependency-self", verdict: "error", codes: ["dependency-cycle"] },
  { fixture: "hook-matcher-invalid", verdict: "error", codes: ["hook-matcher-invalid"] },
  { fixture: "hook-inline-event", verdict: "error", codes: ["hook-event-unknown"] },
  { fixture: "mcp-invalid", verdict: "error", codes: ["mcp-invalid"] },
  { fixture: "monitor-invalid", verdict: "error", codes: ["monitor-invalid"] },
  { fixture: "commands-map", verdict: "error", codes: ["value-invalid"] },
  { fixture: "symlink-escape", verdict: "error", codes: ["symlink-escape"] },
  { fixture: "component-in-manifest-dir", verdict: "warn", codes: ["component-in-manifest-dir"] },
  { fixture: "default-folder-ignored", verdict: "warn", codes: ["default-folder-ignored"] },
  { fixture: "manifest-location", verdict: "warn", codes: ["manifest-location"] },
  { fixture: "manifest-not-utf8", verdict: "error", codes: ["file-encoding"] },
  { fixture: "manifest-not-object", verdict: "error", codes: ["type-invalid"] },
  { fixture: "root-skill", verdict: "ok", codes: [] },
  { fixture: "source-missing", verdict: "error", codes: ["source-missing"], kind: "marketplace" },
  { fixture: "strict-conflict", verdict: "error", codes: ["strict-conflict"], kind: "marketplace" },
  { fixture: "strict-false-ok", verdict: "ok", codes: [], kind: "marketplace" },
  { fixture: "dependency-cycle", verdict: "error", codes: ["dependency-cycle"], kind: "marketplace" },
  { fixture: "dependency-missing", verdict: "error", codes: ["dependency-missing"], kind: "marketplace" },
  { fixture: "cross-marketplace", verdict: "error", codes: ["cross-marketplace"], kind: "marketplace" },
  { fixture: "cross-marketplace-allowed", verdict: "ok", codes: [], kind: "marketplace" },
  { fixture: "entry-frontmatter", verdict: "error", codes: ["frontmatter-yaml"], kind: "marketplace" },
  { fixture: "both-manifests", verdict: "ok", codes: [], kind: "marketplace" },
  { fixture: "loose-marketplace/catalog/marketplace.json", verdict: "ok", codes: [], kind: "marketplace" },
];

function verdictOf(report: { errors: number; warnings: number }): Verdict {
  return report.errors > 0 ? "error" : report.warnings > 0 ? "warn" : "ok";
}

describe("agent plugin validate: one fixture per rule", () => {
  it.each(table)("$fixture → $verdict with $codes", (row) => {
    const report = validatePath(join(fixtures, row.fixture));
    expect(validationReportSchema.parse(report)).toEqual(report);
    expect(verdictOf(report)).toBe(row.verdict);
    expect([...new Set(report.findings.map((f) => f.code))].sort()).toEqual([...new Set(row.codes)].sort());
    if (row.kind !== undefined) expect(report.kind).toBe(row.kind);
    else expect(report.kind).toBe("plugin");
    for (const f of report.findings) expect(f.message).not.toMatch(/^Invalid input$/);
  });

  it("agrees with Claude Code's error-vs-ok verdict on every §11 row, except where agent is deliberately stricter", () => {
    const disagreements = table
      .filter((row) => row.claude !== undefined && !row.stricter)
      .filter((row) => (row.claude === "error") !== (validatePath(join(fixtures, row.fixture)).errors > 0))
      .map((row) => row.fixture);
    expect(disagreements).toEqual([]);
    expect(table.filter((r) => r.stricter).every((r) => r.claude === "ok" && r.verdict === "error")).toBe(true);
  });

  it("fails warnings only under --strict", () => {
    const lax = validatePath(join(fixtures, "unknown-fields"));
    const strict = validatePath(join(fixtures, "unknown-fields"), { strict: true });
    expect([lax.ok, strict.ok]).toEqual([true, false]);
    expect(strict.findings).toEqual(lax.findings);
  });
});
