import { z } from "zod";
import { AgentError } from "./errors.js";
import { pluginIdPattern } from "./names.js";
import type { ResolutionPlan } from "./resolution-plan.js";

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

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical text: ids sorted, fixed key order (version, resolved, commit, integrity, dependencies,
 * auto), dependency lists sorted, absent keys omitted, two-space indent, trailing newline. Equal locks
 * give equal bytes, and a change touches only the lines of the plugins that changed.
 */
export function formatLockfile(lock: Lockfile): string {
  const plugins: Record<string, LockedPlugin> = {};
  for (const id of Object.keys(lock.plugins).sort(byCodePoint)) {
    const p = lock.plugins[id]!;
    plugins[id] = {
      version: p.version,
      resolved: p.resolved,
      ...(p.commit !== undefined ? { commit: p.commit } : {}),
      integrity: p.integrity,
      dependencies: [...new Set(p.dependencies)].sort(byCodePoint),
      ...(p.auto === true ? { auto: true } : {}),
    };
  }
  return `${JSON.stringify({ lockfileVersion: 1, plugins }, null, 2)}\n`;
}

/** The lockfile of a plan. Every step needs its integrity (the installer sets it after fetching). */
export function lockfileFromPlan(plan: Pick<ResolutionPlan, "steps">): Lockfile {
  const plugins: Record<string, LockedPlugin> = {};
  for (const step of plan.steps) {
    if (step.integrity === undefined) {
      throw new AgentError("E_INTERNAL", `Cannot lock ${step.id}@${step.version}: its integrity is not known yet`, {
        hint: "Fetch the plugin (which computes its integrity) before writing agent-lock.json.",
        details: { plugin: step.id },
      });
    }
    plugins[step.id] = {
      version: step.version,
      resolved: step.resolved,
      ...(step.commit !== undefined ? { commit: step.commit } : {}),
      integrity: step.integrity,
      dependencies: step.dependencies,
      ...(step.auto ? { auto: true } : {}),
    };
  }
  return { lockfileVersion: 1, plugins };
}

/** agent-lock.json text for a plan: `formatLockfile(lockfileFromPlan(plan))`. */
export function serializeLockfile(plan: Pick<ResolutionPlan, "steps">): string {
  return formatLockfile(lockfileFromPlan(plan));
}

export interface LockfileDifference {
  id: string;
  /** plugin: in the plan, not the lock; extra: in the lock, not the plan; otherwise the field that differs */
  field: "plugin" | "extra" | "version" | "resolved" | "commit" | "integrity" | "dependencies";
  locked: string | null;
  planned: string | null;
}

/**
 * What differs between a lockfile and a plan, by id then field. Integrity is compared only when the
 * plan knows it. `onlyPlanned` ignores locked plugins the plan does not mention (installing a subset).
 */
export function diffLockfile(lock: Lockfile, plan: Pick<ResolutionPlan, "steps">, options: { onlyPlanned?: boolean } = {}): LockfileDifference[] {
  const out: LockfileDifference[] = [];
  const planned = new Set<string>();
  for (const step of [...plan.steps].sort((a, b) => byCodePoint(a.id, b.id))) {
    planned.add(step.id);
    const was = lock.plugins[step.id];
    if (!was) {
      out.push({ id: step.id, field: "plugin", locked: null, planned: step.version });
      continue;
    }
    const compare = (field: LockfileDifference["field"], locked: string | undefined, now: string | undefined): void => {
      if ((locked ?? null) !== (now ?? null)) out.push({ id: step.id, field, locked: locked ?? null, planned: now ?? null });
    };
    compare("version", was.version, step.version);
    compare("resolved", was.resolved, step.resolved);
    compare("commit", was.commit, step.commit);
    if (step.integrity !== undefined) compare("integrity", was.integrity, step.integrity);
    compare("dependencies", [...was.dependencies].sort(byCodePoint).join(", "), [...step.dependencies].sort(byCodePoint).join(", "));
  }
  if (!options.onlyPlanned) {
    for (const id of Object.keys(lock.plugins).sort(byCodePoint)) if (!planned.has(id)) out.push({ id, field: "extra", locked: lock.plugins[id]!.version, planned: null });
  }
  return out;
}

export function describeLockfileDifference(d: LockfileDifference): string {
  if (d.field === "plugin") return `${d.id}: not in the lockfile (would install ${d.planned})`;
  if (d.field === "extra") return `${d.id}: locked at ${d.locked}, no longer part of the install`;
  return `${d.id}: ${d.field} ${d.locked ?? "(none)"} locked, ${d.planned ?? "(none)"} now`;
}

/** E_FROZEN_MISMATCH for `install --frozen`, listing every difference. */
export function frozenMismatchError(differences: readonly LockfileDifference[], lockfilePath = "agent-lock.json"): AgentError {
  const lines = differences.map(describeLockfileDifference);
  return new AgentError("E_FROZEN_MISMATCH", `${lockfilePath} does not match what would be installed (${differences.length} difference${differences.length === 1 ? "" : "s"}): ${lines.slice(0, 5).join("; ")}${lines.length > 5 ? "; …" : ""}`, {
    hint: `Install without --frozen to update ${lockfilePath}, then commit it.`,
    details: { lockfile: lockfilePath, differences },
  });
}
