import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { AgentError } from "../../schemas/errors.js";
import { safeParseFast } from "../../schemas/fast-parse.js";
import { formatZodIssues } from "../../schemas/format-issues.js";

/**
 * Reads and validates a JSON state or settings file. A missing file yields `fallback`; a corrupt one
 * is an error naming the file and the bad field (it is never silently replaced).
 */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S, fallback: () => z.output<S>): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback();
    throw error;
  }
  if (text.trim() === "") return fallback();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: `Fix or remove ${path}.`,
      details: { file: path },
    });
  }
  const parsed = safeParseFast(schema, raw);
  if (!parsed.success) {
    throw new AgentError("E_INVALID_MANIFEST", `${path} is invalid: ${formatZodIssues(parsed.error.issues).join("; ")}`, {
      hint: `Fix the field named above in ${path}.`,
      details: { file: path, issues: formatZodIssues(parsed.error.issues) },
    });
  }
  return parsed.data;
}
