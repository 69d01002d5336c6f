import { z } from "zod";
import { pluginIdPattern } from "./names.js";

/**
 * agent-lock.json: what an install at one scope resolved to, so `install --frozen` reproduces it exactly
 * (same versions, same sources, same commits, same content integrity) or fails saying what differs.
 */
export const lockedPluginSchema = z.looseObject({
  version: z.string(),
  /** where it came from: "<market>:<relative path>", a git URL@sha, an npm spec … */
  resolved: z.string(),
  /** full commit SHA for git-backed sources */
  commit: z.string().optional(),
  /** sha512 SRI over the installed tree */
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/, "expected a sha512 SRI string"),
  /** plugin ids it depends on */
  dependencies: z.array(z.string()).default([]),
  /** installed as a dependency, not asked for */
  auto: z.boolean().optional(),
});
export type LockedPlugin = z.infer<typeof lockedPluginSchema>;

export const lockfileSchema = z.looseObject({
  lockfileVersion: z.literal(1),
  plugins: z.record(z.string().regex(pluginIdPattern, "Plugin ID must be in format: plugin@marketplace"), lockedPluginSchema),
});
export type Lockfile = z.infer<typeof lockfileSchema>;
