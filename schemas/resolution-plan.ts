import { z } from "zod";
import { pluginIdSchema } from "./name-schemas.js";

/**
 * What the resolver returns and the installer executes: exact versions, dependencies first. Plain data,
 * so it can be printed (`--json`), diffed against agent-lock.json, and tested with plain objects.
 */
export const planReasonSchema = z.discriminatedUnion("kind", [
  /** the user asked for it */
  z.object({ kind: z.literal("requested") }),
  /** pulled in by these plugins (ids, sorted) */
  z.object({ kind: z.literal("dependency"), of: z.array(pluginIdSchema) }),
  /** already installed and enabled, kept so its dependencies keep holding */
  z.object({ kind: z.literal("installed") }),
]);
export type PlanReason = z.infer<typeof planReasonSchema>;

export const planStepSchema = z.object({
  id: pluginIdSchema,
  name: z.string(),
  marketplace: z.string(),
  /** semver, or opaque (sha12, "unknown") */
  version: z.string(),
  /** where to fetch it from, as the catalog gave it */
  source: z.unknown(),
  /** the source as agent-lock.json records it */
  resolved: z.string(),
  commit: z.string().optional(),
  /** sha512 SRI when known before fetching (registries); the installer fills it in after fetching otherwise */
  integrity: z.string().optional(),
  /** ids it depends on, sorted */
  dependencies: z.array(pluginIdSchema),
  reason: planReasonSchema,
  /** installed as a dependency (installed_plugins.json "auto") */
  auto: z.boolean(),
  /** add: not installed; keep: installed at this version; change: installed at previousVersion */
  action: z.enum(["add", "keep", "change"]),
  previousVersion: z.string().optional(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

/** A plugin asked to upgrade that stays below its newest release, and the constraints that hold it back. */
export const heldBackSchema = z.object({
  id: pluginIdSchema,
  version: z.string(),
  latest: z.string(),
  constraints: z.array(z.object({ range: z.string(), by: z.string() })),
});
export type HeldBack = z.infer<typeof heldBackSchema>;

export const resolutionPlanSchema = z.object({
  /** dependencies before dependents; ties broken by id */
  steps: z.array(planStepSchema),
  heldBack: z.array(heldBackSchema),
});
export type ResolutionPlan = z.infer<typeof resolutionPlanSchema>;
