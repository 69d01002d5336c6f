import { z } from "zod";
import { userConfigKeyPattern } from "./names.js";
import { hasLimitsOnlyIfNumber, hasMinNotAboveMax } from "./rules.js";

/** One userConfig option (reference §2.6): a strict object. */
export const userConfigOptionSchema = z
  .strictObject({
    type: z.enum(["string", "number", "boolean", "directory", "file"]),
    title: z.string(),
    description: z.string(),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
    multiple: z.boolean().optional(),
    sensitive: z.boolean().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine(hasMinNotAboveMax, { path: ["min"], error: (issue): string => `min (${limit(issue.input, "min")}) is greater than max (${limit(issue.input, "max")})` })
  .refine(hasLimitsOnlyIfNumber, { path: ["min"], message: "min/max only apply to number options" });
export type UserConfigOption = z.infer<typeof userConfigOptionSchema>;

function limit(option: unknown, key: "min" | "max"): string {
  return String((option as Record<string, unknown>)[key]);
}

export const userConfigSchema = z.record(
  z.string().regex(userConfigKeyPattern, "userConfig keys must match ^[A-Za-z_]\\w* (they become environment variable names)"),
  userConfigOptionSchema,
);
export type UserConfig = z.infer<typeof userConfigSchema>;

export type UserConfigValue = string | number | boolean | string[];
