import { isAbsolute, relative, resolve } from "node:path";
import picomatch from "picomatch";
import { AgentError } from "../../schemas/errors.js";

/** A parsed rule such as `Bash`, `Bash(git:*)`, `Read(src/**)` or `mcp__plugin_x_y`. */
export interface PermissionRule {
  source: string;
  tool: string;
  /** the part in parentheses; undefined matches every call of the tool */
  specifier?: string;
}

export function parsePermissionRule(text: string): PermissionRule {
  const source = text.trim();
  const match = /^([A-Za-z0-9_*.:-]+)(?:\((.*)\))?$/s.exec(source);
  if (!match)
    throw new AgentError("E_USAGE", `"${text}" is not a permission rule`, { hint: 'Write a tool name, optionally with a specifier: "Bash", "Bash(git:*)", "Read(src/**)".' });
  const specifier = match[2]?.trim();
  return { source, tool: match[1]!, ...(specifier && specifier !== "*" ? { specifier } : {}) };
}

/** Splits "--allowed-tools 'Read,Bash(git:*)' 'Edit'" into rules, keeping commas inside parentheses. */
export function parsePermissionRules(values: string[]): PermissionRule[] {
  const out: PermissionRule[] = [];
  for (const value of values) {
    let depth = 0;
    let current = "";
    for (const ch of value) {
      if (ch === "(") depth++;
      if (ch === ")") depth = Math.max(0, depth - 1);
      if ((ch === "," || ch === " ") && depth === 0) {
        if (current.trim()) out.push(parsePermissionRule(current));
        current = "";
      } else current += ch;
    }
    if (current.trim()) out.push(parsePermissionRule(current));
  }
  return out;
}

/** The input field a rule's specifier is matched against, per tool. */
const pathKeys = ["file_path", "path", "notebook_path"];

export type RuleMatchMode = "any-part" | "every-part";

/**
 * Does a rule cover this call? Tool names match exactly, by glob (`mcp__plugin_x_*`) or by server
 * prefix (`mcp__plugin_x_y` covers its tools). Specifiers: `prefix:*` matches a command or value
 * starting with the prefix; file paths match as globs relative to the project; anything else matches
 * with `*` as a wildcard. A Bash command is split at `&&`, `||`, `;` and `|`: deny rules match when any
 * part matches, allow rules only when every part does.
 */
export function ruleMatches(rule: PermissionRule, tool: string, input: Record<string, unknown>, projectDir: string, mode: RuleMatchMode): boolean {
  if (!toolNameMatches(rule.tool, tool)) return false;
  if (rule.specifier === undefined) return true;
  const pathKey = pathKeys.find((k) => typeof input[k] === "string");
  if (pathKey) return pathMatches(rule.specifier, String(input[pathKey]), projectDir);
  const value = typeof input.command === "string" ? input.command : typeof input.pattern === "string" ? input.pattern : typeof input.url === "string" ? input.url : undefined;
  if (value === undefined) return false;
  const parts = typeof input.command === "string" ? splitCommand(value) : [value];
  const test = (part: string) => valueMatches(rule.specifier!, part);
  return mode === "any-part" ? parts.some(test) : parts.every(test);
}

function toolNameMatches(ruleTool: string, tool: string): boolean {
  if (ruleTool === tool) return true;
  if (ruleTool.includes("*")) return picomatch.isMatch(tool, ruleTool);
  return ruleTool.startsWith("mcp__") && tool.startsWith(`${ruleTool}__`);
}

function valueMatches(specifier: string, value: string): boolean {
  const v = value.trim();
  if (specifier.endsWith(":*")) {
    const prefix = specifier.slice(0, -2);
    return v === prefix || v.startsWith(`${prefix} `);
  }
  if (!specifier.includes("*")) return v === specifier;
  const pattern = specifier.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`, "s").test(v);
}

function pathMatches(specifier: string, filePath: string, projectDir: string): boolean {
  const abs = isAbsolute(filePath) ? filePath : resolve(projectDir, filePath);
  const rel = relative(projectDir, abs);
  const glob = specifier.replace(/^\.\//, "");
  const isMatch = picomatch(glob, { dot: true });
  return isAbsolute(glob) ? isMatch(abs) : !rel.startsWith("..") && isMatch(rel);
}

export function splitCommand(command: string): string[] {
  return command
    .split(/&&|\|\||;|\||\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The rule to suggest to a person who wants to stop being asked about this call. */
export function suggestRule(tool: string, input: Record<string, unknown>): string {
  if (typeof input.command === "string") {
    const first = splitCommand(input.command)[0]?.split(/\s+/)[0];
    return first ? `${tool}(${first}:*)` : tool;
  }
  return tool;
}
