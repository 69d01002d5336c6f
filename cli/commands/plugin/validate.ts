import type { CommandSpec, Style } from "../../command-spec.js";
import type { Finding, ValidationReport } from "../../../schemas/validation-report.js";

export const command: CommandSpec<ValidationReport> = {
  path: ["plugin", "validate"],
  args: ["<path>"],
  description: "check a plugin directory, a marketplace directory or a marketplace.json file",
  options: [{ flags: "--strict", description: "treat warnings (unknown fields, missing metadata, …) as errors" }],
  json: true,
  examples: ["agent plugin validate ./my-plugin", "agent plugin validate ./my-marketplace --strict", "agent plugin validate .claude-plugin/marketplace.json --json"],
  async run(ctx) {
    const [{ basename, join, resolve }, { statSync }, { CheckWorkerPool, parallelThreshold }, { manifestPathIn }, { packageRoot }] = await Promise.all([
      import("node:path"),
      import("node:fs"),
      import("../../../registry/validate/check-listed-in-parallel.js"),
      import("../../../registry/marketplace/marketplace-paths.js"),
      import("../../version.js"),
    ]);
    const path = resolve(ctx.cwd, String(ctx.args.path));
    // a big marketplace's plugins are checked on every core: the worker threads start (from the built
    // entry) and load the checks while this thread reads the manifest. A plugin, or a marketplace.json
    // too small to list many plugins (an entry takes 40 bytes at least), does without them.
    const file = basename(path) === "marketplace.json" ? path : join(path, manifestPathIn());
    const many = (statSync(file, { throwIfNoEntry: false })?.size ?? 0) >= parallelThreshold * 40;
    const pool = new CheckWorkerPool(join(packageRoot, "dist", "cli", "check-listed-worker-entry.cjs"), many ? undefined : 0);
    const { validatePathInParallel } = await import("../../../registry/validate/validate-path.js");
    const report = await validatePathInParallel(path, pool, { strict: Boolean(ctx.options.strict) });
    return { data: report, text: (style) => formatReport(report, style), exitCode: report.ok ? 0 : 1 };
  },
};

/** Claude Code's layout: header, error and warning blocks of "❯ path: message", then the verdict. */
export function formatReport(report: ValidationReport, style: Style): string {
  const what = report.kind === null ? "" : `${report.kind} manifest`;
  const lines = [`Validating ${what}${what ? ": " : ""}${report.path}`, ""];
  const block = (findings: Finding[], head: string) => {
    if (findings.length === 0) return;
    lines.push(head);
    for (const f of findings) {
      lines.push(`  ${style.bullet} ${f.path}: ${f.message} ${style.dim(`[${f.code}]`)}`);
      if (f.hint) lines.push(`    ${style.dim(`hint: ${f.hint}`)}`);
    }
    lines.push("");
  };
  block(report.findings.filter((f) => f.severity === "error"), `${style.fail} ${style.red(`Found ${report.errors} error(s):`)}`);
  block(report.findings.filter((f) => f.severity === "warning"), `${style.warn} ${style.yellow(`Found ${report.warnings} warning(s):`)}`);
  if (report.errors > 0) lines.push(`${style.fail} ${style.red("Validation failed")}`);
  else if (!report.ok) lines.push(`${style.fail} ${style.red("Validation failed (--strict treats warnings as errors)")}`);
  else lines.push(`${style.ok} ${style.green(report.warnings ? "Validation passed with warnings" : "Validation passed")}`);
  return lines.join("\n");
}
