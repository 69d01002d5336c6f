import type { Finding } from "../../schemas/validation-report.js";
import { closestName } from "../plugin/closest-name.js";

/** Keys of other ecosystems' manifests people paste into plugin.json / marketplace.json. */
const foreignKeys = new Map<string, string>([
  ["engines", "a VS Code/Cursor extension manifest or package.json"],
  ["contributes", "a VS Code/Cursor extension manifest"],
  ["activationEvents", "a VS Code/Cursor extension manifest"],
  ["publisher", "a VS Code/Cursor extension manifest"],
  ["categories", "a VS Code/Cursor extension manifest"],
  ["main", "package.json"],
  ["module", "package.json"],
  ["exports", "package.json"],
  ["scripts", "package.json"],
  ["devDependencies", "package.json"],
  ["peerDependencies", "package.json"],
  ["files", "package.json"],
  ["private", "package.json"],
  ["type", "package.json"],
  ["manifest_version", "a browser extension manifest"],
  ["background", "a browser extension manifest"],
  ["icons", "a browser extension manifest"],
  ["requires-python", "pyproject.toml"],
]);

/** The known-key lists (one per manifest kind) as sets, built once. */
const knownSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Warnings for keys Claude Code ignores at load time, with a did-you-mean by edit distance and a note
 * for other ecosystems' keys (`engines`, `main`, `contributes`, …). Only own enumerable keys are read,
 * so "__proto__" or "constructor" in the JSON are reported like any other key.
 */
export function unknownFieldFindings(raw: Record<string, unknown>, known: readonly string[], pathPrefix: string, file?: string): Finding[] {
  let knownSet = knownSets.get(known);
  if (!knownSet) knownSets.set(known, (knownSet = new Set(known)));
  const findings: Finding[] = [];
  for (const key of Object.keys(raw)) {
    if (knownSet.has(key)) continue;
    const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
    const guess = closestName(key, known);
    const foreign = foreignKeys.get(key);
    const message = guess
      ? `Unknown field '${shown}' — did you mean '${guess}'? Claude Code ignores it at load time.`
      : foreign
        ? `Unknown field '${shown}' (commonly seen in ${foreign}). Claude Code ignores it at load time.`
        : `Unknown field '${shown}'. Claude Code ignores it at load time.`;
    findings.push({
      severity: "warning",
      code: "unknown-field",
      path: pathPrefix + (/^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(shown)}]`),
      message,
      ...(guess ? { hint: `Rename '${shown}' to '${guess}'.` } : foreign ? { hint: "Plugin manifests use the Claude Code format (reference: agent plugin schema plugin)." } : {}),
      ...(file ? { file } : {}),
    });
  }
  return findings;
}
