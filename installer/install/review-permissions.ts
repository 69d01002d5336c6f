import { AgentError } from "../../schemas/errors.js";
import type { NetworkPermission, Permissions } from "../../schemas/permissions.js";
import type { Prompter } from "../config/prompter.js";

/**
 * The `permissions` a plugin declares (absent = none/none: no workspace, no network, no env, no secrets).
 * Anything wider is shown and must be accepted: on a TTY by answering, otherwise with --yes.
 */
export function isWiderThanDefault(p: Permissions | undefined): boolean {
  if (!p) return false;
  return (p.filesystem?.workspace ?? "none") !== "none" || networkRank(p.network) > 0 || (p.env?.length ?? 0) > 0 || (p.secrets?.length ?? 0) > 0;
}

export function describePermissions(p: Permissions | undefined): string[] {
  if (!isWiderThanDefault(p)) return ["no workspace access, no network"];
  const lines: string[] = [];
  const ws = p!.filesystem?.workspace ?? "none";
  lines.push(ws === "none" ? "workspace: no access" : `workspace: ${ws}`);
  const net = p!.network;
  lines.push(net === undefined || net === "none" ? "network: none" : net === "full" ? "network: full (any host)" : `network: ${net.allow.join(", ")}`);
  if (p!.env?.length) lines.push(`environment variables: ${p!.env.join(", ")}`);
  if (p!.secrets?.length) lines.push(`secrets: ${p!.secrets.join(", ")}`);
  return lines;
}

/** True when `next` asks for anything `previous` did not grant. */
export function isWidened(previous: Permissions | undefined, next: Permissions | undefined): boolean {
  if (!isWiderThanDefault(next)) return false;
  if (!isWiderThanDefault(previous)) return true;
  const rank = { none: 0, read: 1, write: 2 } as const;
  if (rank[next!.filesystem?.workspace ?? "none"] > rank[previous!.filesystem?.workspace ?? "none"]) return true;
  if (networkWidened(previous!.network, next!.network)) return true;
  const newer = (a: string[] | undefined, b: string[] | undefined) => (b ?? []).some((x) => !(a ?? []).includes(x));
  return newer(previous!.env, next!.env) || newer(previous!.secrets, next!.secrets);
}

function networkRank(n: NetworkPermission | undefined): number {
  return n === undefined || n === "none" ? 0 : n === "full" ? 2 : 1;
}

function networkWidened(a: NetworkPermission | undefined, b: NetworkPermission | undefined): boolean {
  if (networkRank(b) !== networkRank(a)) return networkRank(b) > networkRank(a);
  if (typeof a === "object" && typeof b === "object") return b.allow.some((h) => !a.allow.includes(h));
  return false;
}

export interface PermissionRequest {
  id: string;
  permissions: Permissions;
}

/** Asks once for all plugins whose permissions need consent. Throws E_PERMISSION_DENIED when refused. */
export async function confirmPermissions(requests: PermissionRequest[], how: { yes: boolean; prompt: Prompter | undefined; log(line: string): void }): Promise<void> {
  if (requests.length === 0 || how.yes) return;
  const ids = requests.map((r) => r.id);
  if (!how.prompt) {
    throw new AgentError("E_PERMISSION_DENIED", `${ids.join(", ")} ${ids.length > 1 ? "ask" : "asks"} for permissions beyond the default (no workspace, no network): ${requests.map((r) => `${r.id}: ${describePermissions(r.permissions).join("; ")}`).join(" | ")}`, {
      hint: "Review them and re-run with --yes to accept.",
      details: { plugins: requests },
    });
  }
  for (const r of requests) {
    how.log(`${r.id} may use:`);
    for (const line of describePermissions(r.permissions)) how.log(`  ${line}`);
  }
  const answer = (await how.prompt(`Allow ${ids.join(", ")}? [y/N] `)).trim().toLowerCase();
  if (answer !== "y" && answer !== "yes") {
    throw new AgentError("E_PERMISSION_DENIED", `Permissions for ${ids.join(", ")} were not accepted; nothing was installed`, { details: { plugins: ids } });
  }
}
