import type { z } from "zod";

/** A JSON path as users read it: plugins[3].source.repo */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_$][\w$-]*$/.test(name) ? (out ? "." : "") + name : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** zod issues as "path: message" lines. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = formatJsonPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
