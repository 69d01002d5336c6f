import { z } from "zod";
import { userConfigKeyPattern } from "./names.js";

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
  .superRefine((option, ctx) => {
    if (option.min !== undefined && option.max !== undefined && option.min > option.max)
      ctx.addIssue({ code: "custom", path: ["min"], message: `min (${option.min}) is greater than max (${option.max})` });
    if ((option.min !== undefined || option.max !== undefined) && option.type !== "number")
      ctx.addIssue({ code: "custom", path: ["min"], message: "min/max only apply to number options" });
  });
export type UserConfigOption = z.infer<typeof userConfigOptionSchema>;

export const userConfigSchema = z.record(
  z.string().regex(userConfigKeyPattern, "userConfig keys must match ^[A-Za-z_]\\w* (they become environment variable names)"),
  userConfigOptionSchema,
);
export type UserConfig = z.infer<typeof userConfigSchema>;

export type UserConfigValue = string | number | boolean | string[];
