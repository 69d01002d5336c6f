import { z } from "zod";
import { marketplaceSourceSchema } from "./marketplace-source.js";

/** plugins/known_marketplaces.json: name → where it came from and where it lives (reference §7). */
export const knownMarketplaceSchema = z.looseObject({
  source: marketplaceSourceSchema,
  installLocation: z.string(),
  lastUpdated: z.string().optional(),
  autoUpdate: z.boolean().optional(),
  /** agent: commit of a git-backed marketplace at its last fetch */
  commit: z.string().optional(),
  /** agent: scope whose settings declare it */
  scope: z.enum(["user", "project", "local"]).optional(),
});
export type KnownMarketplace = z.infer<typeof knownMarketplaceSchema>;

export const knownMarketplacesSchema = z.record(z.string(), knownMarketplaceSchema);
export type KnownMarketplaces = z.infer<typeof knownMarketplacesSchema>;
