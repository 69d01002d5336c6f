import { readFileSync } from "node:fs";
import { AgentError } from "../../schemas/errors.js";
import { formatZodIssues } from "../../schemas/format-issues.js";
import { parseAs, type ParsedAs, type SchemaName } from "../../schemas/parsers.js";

/**
 * Reads and validates a JSON state or settings file against the schema of that name (schemas/parsers.ts). A missing file yields `fallback`; a corrupt one
 * is an error naming the file and the bad field (it is never silently replaced).
 */
export async function readJsonFile<N extends SchemaName>(path: string, schema: N, fallback: () => ParsedAs<N>): Promise<ParsedAs<N>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8"); // a state file is small: one read beats a round trip through the thread pool
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
  const parsed = await parseAs(schema, raw);
  if (!parsed.success) {
    throw new AgentError("E_INVALID_MANIFEST", `${path} is invalid: ${formatZodIssues(parsed.error.issues).join("; ")}`, {
      hint: `Fix the field named above in ${path}.`,
      details: { file: path, issues: formatZodIssues(parsed.error.issues) },
    });
  }
  return parsed.data;
}
