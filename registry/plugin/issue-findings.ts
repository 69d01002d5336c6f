import type { z } from "zod";
import { formatJsonPath } from "../../schemas/format-issues.js";
import { hookEvents } from "../../schemas/hooks.js";
import type { Finding, FindingCode } from "../../schemas/validation-report.js";
import { closestName } from "./closest-name.js";

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

/** Which file format the issues come from: decides the finding codes. */
export type IssueDomain = "manifest" | "marketplace" | "hooks-file" | "mcp-file" | "lsp-file" | "monitors-file" | "frontmatter";

export interface IssueContext {
  domain: IssueDomain;
  /** put before every path: "plugins[2] plugin.json → ", "hooks/hooks.json → " */
  prefix?: string;
  file?: string;
  severity?: Finding["severity"];
}

const maxMessage = 300;

/**
 * Turns zod issues into findings with readable messages and JSON paths. Unions are explained through
 * the branch that matched the value's type best, never as a bare "Invalid input".
 */
export function issuesToFindings(issues: readonly Issue[], ctx: IssueContext): Finding[] {
  const out: Finding[] = [];
  for (const leaf of issues.flatMap((i) => leaves(i, []))) {
    for (const { path, message } of describe(leaf.issue, leaf.path)) {
      out.push({
        severity: ctx.severity ?? "error",
        code: codeFor(ctx.domain, path, leaf.issue, message),
        path: (ctx.prefix ?? "") + (formatJsonPath(path) || "(root)"),
        message: clip(message),
        ...(ctx.file ? { file: ctx.file } : {}),
      });
    }
  }
  return out;
}

interface Leaf {
  issue: Issue;
  path: Key[];
}

function leaves(issue: Issue, base: Key[]): Leaf[] {
  const path = [...base, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ issue, path }];
  const types = rootTypeExpectations(issue);
  if (types) return [{ issue: { ...issue, message: `Invalid input: expected ${orList(types)}` }, path }];
  const viable = issue.errors.filter((branch) => !branch.every((i) => rootTypeExpectations(i)));
  const candidates = (viable.length ? viable : issue.errors).map((branch) => branch.flatMap((i) => leaves(i, path)));
  candidates.sort((a, b) => a.length - b.length);
  return candidates[0]!;
}

/** When every branch failed only because the value has the wrong JSON type: the types it could have had. */
function rootTypeExpectations(issue: Issue): string[] | undefined {
  if (issue.path.length > 0) return undefined;
  if (issue.code === "invalid_type") return [issue.expected === "record" ? "object" : issue.expected];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return undefined;
  const all: string[] = [];
  for (const branch of issue.errors) {
    const types = branch.length ? branch.map(rootTypeExpectations) : [undefined];
    if (types.some((t) => !t)) return undefined;
    for (const t of types) all.push(...t!);
  }
  return [...new Set(all)];
}

function describe(issue: Issue, path: Key[]): { path: Key[]; message: string }[] {
  switch (issue.code) {
    case "invalid_union": {
      const opts = (issue as { options?: unknown[] }).options;
      return [{ path, message: opts ? `expected ${String((issue as { discriminator?: string }).discriminator ?? "type")} to be one of ${orList(opts.map((o) => JSON.stringify(o)))}` : issue.message }];
    }
    case "invalid_key": {
      const key = String(path.at(-1));
      return [{ path, message: `Invalid key ${JSON.stringify(clip(key, 80))}: ${issue.issues.map((i) => i.message).join("; ") || "not allowed"}` }];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const at = [...path, key];
        if (path.at(-1) === "hooks") {
          const guess = closestName(key, hookEvents);
          return { path: at, message: `Unknown hook event ${JSON.stringify(clip(key, 80))}${guess ? ` — did you mean "${guess}"? Event names are case-sensitive` : ""}` };
        }
        return { path: at, message: `Unknown field ${JSON.stringify(clip(key, 80))} is not allowed here` };
      });
    default:
      return [{ path, message: issue.message }];
  }
}

const componentPathKeys = new Set(["commands", "agents", "skills", "outputStyles", "themes", "workflows"]);

function codeFor(domain: IssueDomain, fullPath: Key[], issue: Issue, message: string): FindingCode {
  if (domain === "frontmatter") return "frontmatter-invalid";
  if (domain === "mcp-file") return "mcp-invalid";
  if (domain === "lsp-file") return "lsp-invalid";
  if (domain === "monitors-file") return "monitor-invalid";
  const path = domain === "marketplace" && fullPath[0] === "plugins" && typeof fullPath[1] === "number" ? fullPath.slice(2) : fullPath;
  const entryLevel = path !== fullPath;
  const key = String(path[0] ?? "");
  const isType = issue.code === "invalid_type";
  const pathish = typeof message === "string" && /^(path |Path |relative plugin sources|an MCP config path)/.test(message);
  const traversal = message.includes('Path contains ".."') || message.includes("cannot contain \"..\"");
  if (domain === "hooks-file" || key === "hooks") {
    if (traversal) return "path-traversal";
    if (pathish) return "path-invalid";
    if (path.at(-1) === "matcher") return "hook-matcher-invalid";
    if (issue.code === "unrecognized_keys" || issue.code === "invalid_key") return "hook-event-unknown";
    return "hook-invalid";
  }
  switch (key) {
    case "name":
      if (isType) return "type-invalid";
      if (/impersonat/.test(message)) return "impersonation";
      if (/reserved/.test(message)) return "reserved-name";
      return /empty/.test(message) ? "name-empty" : "name-invalid";
    case "version":
      return isType ? "type-invalid" : "semver-invalid";
    case "homepage":
      return isType ? "type-invalid" : "url-invalid";
    case "dependencies":
      return "dependency-invalid";
    case "userConfig":
      return "userconfig-invalid";
    case "mcpServers":
      return traversal ? "path-traversal" : pathish ? "path-invalid" : "mcp-invalid";
    case "lspServers":
      return traversal ? "path-traversal" : pathish ? "path-invalid" : "lsp-invalid";
    case "monitors":
      return "monitor-invalid";
    case "source":
      if (entryLevel) return traversal ? "path-traversal" : "source-invalid";
      break;
    case "experimental":
      if (path[1] === "monitors") return "monitor-invalid";
      break;
  }
  if (componentPathKeys.has(key) || key === "experimental") {
    if (traversal) return "path-traversal";
    if (pathish || (issue.code === "invalid_format" && (issue as { format?: string }).format === "starts_with")) return "path-invalid";
  }
  return isType ? "type-invalid" : "value-invalid";
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function clip(text: string, max = maxMessage): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
