import { z } from "zod";
import { pluginIdPattern } from "./names.js";
import { doesNotImpersonateOfficial, hasNoWhitespace, isNotPathLike, isNotPseudoMarketplace } from "./rules.js";

export const pluginNameSchema = z
  .string()
  .min(1, "Plugin name cannot be empty")
  .refine(hasNoWhitespace, 'Plugin name cannot contain spaces. Use kebab-case (e.g., "my-plugin")');

export const marketplaceNameSchema = z
  .string()
  .min(1, "Marketplace name cannot be empty")
  .refine(hasNoWhitespace, "Marketplace name cannot contain spaces")
  .refine(isNotPathLike, 'Marketplace name cannot contain "/", "\\" or ".."')
  .refine(
    isNotPseudoMarketplace,
    { error: (issue) => `Marketplace name "${String(issue.input)}" is reserved for session and built-in plugins (inline, builtin, skills-dir)` },
  )
  .refine(doesNotImpersonateOfficial, "Marketplace name impersonates an official Anthropic/Claude marketplace");

export const pluginIdSchema = z.string().regex(pluginIdPattern, "Plugin ID must be in format: plugin@marketplace");
export type PluginId = z.infer<typeof pluginIdSchema>;
