import type { Context } from "hono";
import type { z } from "zod";
import { formatZodIssues } from "../../schemas/format-issues.js";
import { httpError } from "./http-error.js";

/** Malformed JSON is 400 with a plain message. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw httpError(400, "E_USAGE", "Malformed JSON body", "Send a JSON document (content-type: application/json).");
  }
}

/** A body that fails its schema is 400 naming the bad fields. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw httpError(400, "E_USAGE", `Invalid request body: ${formatZodIssues(parsed.error.issues).slice(0, 5).join("; ")}`, "Check the request against the npm registry protocol.");
  return parsed.data;
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseBody(schema, parseJson(await c.req.text()));
}
