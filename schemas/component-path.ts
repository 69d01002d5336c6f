import { z } from "zod";
import { endsWithJson, endsWithMd, hasNoDotDotSegment } from "./rules.js";

/**
 * Component paths in plugin.json (reference §2.3): relative to the plugin root, starting with "./",
 * never containing "..". Existence is checked by the validator, which has the disk.
 */
export const componentPathSchema = z
  .string()
  .startsWith("./", 'path must start with "./" (relative to the plugin root)')
  .refine(hasNoDotDotSegment, { error: (i) => `Path contains ".." which could be a path traversal attempt: ${String(i.input)}` });

export const markdownPathSchema = componentPathSchema.refine(endsWithMd, 'path must end with ".md"');
export const jsonPathSchema = componentPathSchema.refine(endsWithJson, 'path must end with ".json"');

/** "./x" or ["./x", …] */
export const pathOrPathsSchema = z.union([componentPathSchema, z.array(componentPathSchema)]);

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
