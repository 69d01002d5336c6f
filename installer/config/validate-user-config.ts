import { statSync } from "node:fs";
import { resolve } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import type { UserConfig, UserConfigOption, UserConfigValue } from "../../schemas/user-config.js";

/**
 * Turns raw `--config` text into typed values checked against the plugin's declared userConfig
 * (reference §2.6): numbers within min/max, booleans, existing directories/files (made absolute), and
 * comma-separated lists for `multiple`. Every problem is reported at once, before anything is written.
 */
export function validateUserConfig(pluginId: string, schema: UserConfig, raw: Record<string, string>, cwd: string): Record<string, UserConfigValue> {
  const values: Record<string, UserConfigValue> = {};
  const problems: string[] = [];
  for (const [key, text] of Object.entries(raw)) {
    const option = schema[key];
    if (!option) {
      const known = Object.keys(schema);
      problems.push(`--config key "${key}" isn't declared in ${pluginId}'s userConfig${known.length ? `. Known keys: ${known.join(", ")}` : " (it declares none)"}`);
      continue;
    }
    const result = convert(key, option, text, cwd);
    if (typeof result === "object" && result !== null && "problem" in result) problems.push(result.problem);
    else values[key] = result as UserConfigValue;
  }
  if (problems.length) {
    throw new AgentError("E_CONFIG", `--config validation failed for ${pluginId}: ${problems.join("; ")}`, {
      hint: "Fix the values above; nothing was installed or changed.",
      details: { plugin: pluginId, problems },
    });
  }
  return values;
}

function convert(key: string, option: UserConfigOption, text: string, cwd: string): UserConfigValue | { problem: string } {
  const label = option.title || key;
  if (option.required && text.trim() === "") return { problem: `${label} (${key}) is required` };
  switch (option.type) {
    case "number": {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n)) return { problem: `${label} (${key}) must be a number, got "${text}"` };
      if (option.min !== undefined && n < option.min) return { problem: `${label} (${key}) must be at least ${option.min}` };
      if (option.max !== undefined && n > option.max) return { problem: `${label} (${key}) must be at most ${option.max}` };
      return n;
    }
    case "boolean": {
      const t = text.trim().toLowerCase();
      if (["true", "yes", "1", "on"].includes(t)) return true;
      if (["false", "no", "0", "off"].includes(t)) return false;
      return { problem: `${label} (${key}) must be true or false, got "${text}"` };
    }
    case "directory":
    case "file": {
      const paths = option.multiple ? splitList(text) : [text];
      const out: string[] = [];
      for (const p of paths) {
        const abs = resolve(cwd, p);
        const info = statSafe(abs);
        if (!info || (option.type === "directory" ? !info.isDirectory() : !info.isFile())) return { problem: `${label} (${key}) must be an existing ${option.type}: ${abs}` };
        out.push(abs);
      }
      return option.multiple ? out : out[0]!;
    }
    case "string":
      return option.multiple ? splitList(text) : text;
  }
}

function splitList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Options without a set value (defaults count as unset, as in Claude Code), and how many are required. */
export function unsetOptions(schema: UserConfig, set: Iterable<string>): { keys: string[]; required: number } {
  const have = new Set(set);
  const keys = Object.keys(schema).filter((k) => !have.has(k));
  return { keys, required: keys.filter((k) => schema[k]!.required).length };
}
