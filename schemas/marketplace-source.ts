import { z } from "zod";
import { isHttpUrl } from "./rules.js";

/** Where a marketplace comes from (reference §4.1). */
const gitFields = {
  ref: z.string().min(1).optional(),
  /** path of marketplace.json inside the repository */
  path: z.string().optional(),
  sparsePaths: z.array(z.string().min(1)).optional(),
  skipLfs: z.boolean().optional(),
};

export const githubMarketplaceSourceSchema = z.looseObject({
  source: z.literal("github"),
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/repo"'),
  ...gitFields,
});
export const gitMarketplaceSourceSchema = z.looseObject({ source: z.literal("git"), url: z.string().min(1), ...gitFields });
export const urlMarketplaceSourceSchema = z.looseObject({
  source: z.literal("url"),
  url: z.string().url().refine(isHttpUrl, "only http(s) URLs"),
  headers: z.record(z.string(), z.string()).optional(),
  /** agent extension: base64 ed25519 public key the catalog signature must verify against */
  pubkey: z.string().optional(),
});
export const npmMarketplaceSourceSchema = z.looseObject({ source: z.literal("npm"), package: z.string().min(1), version: z.string().optional(), registry: z.string().url().optional() });
export const fileMarketplaceSourceSchema = z.looseObject({ source: z.literal("file"), path: z.string().min(1) });
export const directoryMarketplaceSourceSchema = z.looseObject({ source: z.literal("directory"), path: z.string().min(1) });
export const settingsMarketplaceSourceSchema = z.looseObject({
  source: z.literal("settings"),
  name: z.string().min(1),
  plugins: z.array(z.looseObject({ name: z.string().min(1), source: z.unknown() })),
  owner: z.looseObject({ name: z.string() }).optional(),
});

export const marketplaceSourceSchema = z.discriminatedUnion("source", [
  githubMarketplaceSourceSchema,
  gitMarketplaceSourceSchema,
  urlMarketplaceSourceSchema,
  npmMarketplaceSourceSchema,
  fileMarketplaceSourceSchema,
  directoryMarketplaceSourceSchema,
  settingsMarketplaceSourceSchema,
]);
export type MarketplaceSource = z.infer<typeof marketplaceSourceSchema>;
export type MarketplaceSourceKind = MarketplaceSource["source"];

/** Entries of strictKnownMarketplaces / blockedMarketplaces: a source, or a pattern, or the skills-dir sentinel. */
export const policySourceSchema = z.union([
  marketplaceSourceSchema,
  z.looseObject({ hostPattern: z.string().min(1) }),
  z.looseObject({ pathPattern: z.string().min(1) }),
  z.looseObject({ source: z.literal("skills-dir") }),
]);
export type PolicySource = z.infer<typeof policySourceSchema>;
