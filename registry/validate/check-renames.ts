import type { Finding } from "../../schemas/validation-report.js";

/**
 * `renames` chains must end at null or at a plugin the marketplace lists (reference §3.6):
 * `renames.a: chain does not resolve (cycle) — …`.
 */
export function renameFindings(renames: Record<string, string | null>, pluginNames: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const map = new Map(Object.entries(renames));
  for (const start of map.keys()) {
    const seen = new Set<string>([start]);
    let current: string | null | undefined = map.get(start);
    let problem: "cycle" | "target-missing" | undefined;
    while (problem === undefined && current !== null && current !== undefined && !pluginNames.has(current)) {
      if (seen.has(current)) problem = "cycle";
      else if (!map.has(current)) problem = "target-missing";
      else {
        seen.add(current);
        current = map.get(current);
      }
    }
    if (problem)
      out.push({
        severity: "error",
        code: "rename-invalid",
        path: `renames.${start}`,
        message: `chain does not resolve (${problem}) — target must be a name in plugins[], a key in renames, or null`,
        ...(problem === "cycle" ? { hint: `Follow the chain from "${start}": ${[...seen].join(" → ")} → ${String(current)}` } : {}),
      });
  }
  return out;
}
