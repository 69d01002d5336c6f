import { basename, dirname, join, resolve } from "node:path";
import type { Finding, ValidationReport } from "../../schemas/validation-report.js";
import { readJsonFile } from "../plugin/read-json-file.js";
import { kindOf } from "../plugin/scan-context.js";
import type { CheckWorkerPool } from "./check-listed-in-parallel.js";
import { checkMarketplace, checkMarketplaceInParallel } from "./check-marketplace.js";
import { checkPluginDir, isObject } from "./check-plugin-dir.js";

export interface ValidateOptions {
  /** warnings make the report fail (unknown fields, missing metadata, …) */
  strict?: boolean;
}

type Target = { kind: "plugin"; manifest: string; root: string } | { kind: "marketplace"; manifest: string } | { kind: null; finding: Finding };

/**
 * Validates a plugin directory, a marketplace directory (.claude-plugin/marketplace.json wins when both
 * manifests exist), a direct path to either file, or a loose marketplace.json. Never throws: unreadable
 * or broken files, and even a bug in a check, come back as findings.
 */
export function validatePath(path: string, options: ValidateOptions = {}): ValidationReport {
  const abs = resolve(path);
  let target: Target;
  let findings: Finding[];
  try {
    target = locate(abs);
    findings = target.kind === "marketplace" ? checkMarketplace(target.manifest) : targetFindings(target);
  } catch (error) {
    target = { kind: null, finding: internal(error) };
    findings = [target.finding];
  }
  return report(abs, target, findings, options);
}

/**
 * validatePath, with a marketplace's listed plugins checked on the pool's threads too (the same report,
 * in the same order): for the CLI, where a marketplace may list thousands of plugins. Uses the pool up.
 */
export async function validatePathInParallel(path: string, pool: CheckWorkerPool, options: ValidateOptions = {}): Promise<ValidationReport> {
  const abs = resolve(path);
  let target: Target;
  let findings: Finding[];
  try {
    target = locate(abs);
    findings = target.kind === "marketplace" ? await checkMarketplaceInParallel(target.manifest, pool) : targetFindings(target);
  } catch (error) {
    target = { kind: null, finding: internal(error) };
    findings = [target.finding];
  } finally {
    pool.close();
  }
  return report(abs, target, findings, options);
}

function targetFindings(target: Exclude<Target, { kind: "marketplace" }>): Finding[] {
  return target.kind === null ? [target.finding] : checkPluginDir(target.root, undefined, target.manifest).findings;
}

function report(abs: string, target: Target, findings: Finding[], options: ValidateOptions): ValidationReport {
  const strict = Boolean(options.strict);
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  return {
    kind: target.kind,
    path: target.kind === null ? abs : target.manifest,
    strict,
    findings,
    errors,
    warnings,
    ok: errors === 0 && (!strict || warnings === 0),
  };
}

function locate(abs: string): Target {
  const kind = kindOf(abs);
  if (kind === undefined) return { kind: null, finding: { severity: "error", code: "file-not-found", path: "file", message: `File not found: ${abs}` } };
  if (kind === "dir") {
    const marketplace = join(abs, ".claude-plugin", "marketplace.json");
    if (kindOf(marketplace) === "file") return { kind: "marketplace", manifest: marketplace };
    const plugin = join(abs, ".claude-plugin", "plugin.json");
    if (kindOf(plugin) === "file") return { kind: "plugin", manifest: plugin, root: abs };
    if (kindOf(join(abs, "plugin.json")) === "file") return { kind: "plugin", manifest: join(abs, "plugin.json"), root: abs };
    return {
      kind: null,
      finding: {
        severity: "error",
        code: "no-manifest",
        path: "directory",
        message: "No manifest found in directory. Expected .claude-plugin/marketplace.json or .claude-plugin/plugin.json",
        hint: `Create ${join(abs, ".claude-plugin", "plugin.json")} with at least {"name": "${basename(abs)}"}.`,
      },
    };
  }
  const name = basename(abs);
  if (name === "marketplace.json") return { kind: "marketplace", manifest: abs };
  if (name === "plugin.json") return { kind: "plugin", manifest: abs, root: basename(dirname(abs)) === ".claude-plugin" ? dirname(dirname(abs)) : dirname(abs) };
  // any other JSON file: a marketplace if it looks like one (has "plugins" or "owner"), else a plugin manifest
  const read = readJsonFile(abs);
  if (read.ok && isObject(read.value) && ("plugins" in read.value || "owner" in read.value)) return { kind: "marketplace", manifest: abs };
  return { kind: "plugin", manifest: abs, root: dirname(abs) };
}

function internal(error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return { severity: "error", code: "internal", path: "(validator)", message: `The validator failed on this input: ${message.slice(0, 300)}`, hint: "This is a bug in agent; please report it with the file that triggered it." };
}
