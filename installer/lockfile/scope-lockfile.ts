import type { LockedPlugin, Lockfile } from "../../schemas/lockfile.js";
import { sortKeys } from "../state/state-files.js";
import { readJsonFile } from "../state/read-json-file.js";

/** A scope's agent-lock.json (user: <home>/agent-lock.json, project/local: <project>/.agent/agent-lock.json). */
export function readLockfile(path: string): Promise<Lockfile> {
  return readJsonFile(path, "lockfile", () => ({ lockfileVersion: 1 as const, plugins: {} }));
}

/** Deterministic text: sorted ids, sorted dependency lists, fixed key order — equal installs give equal bytes. */
export function lockfileText(lockfile: Lockfile): string {
  const plugins = Object.fromEntries(
    Object.entries(sortKeys(lockfile.plugins)).map(([id, p]) => [
      id,
      {
        version: p.version,
        resolved: p.resolved,
        ...(p.commit ? { commit: p.commit } : {}),
        integrity: p.integrity,
        dependencies: [...p.dependencies].sort(),
        ...(p.auto ? { auto: true } : {}),
      } satisfies LockedPlugin,
    ]),
  );
  return JSON.stringify({ lockfileVersion: 1, plugins }, null, 2) + "\n";
}

/** What differs between the lockfile and what would be installed now (empty = identical). */
export function lockfileDifferences(locked: Lockfile, planned: Map<string, Pick<LockedPlugin, "version" | "resolved" | "commit" | "integrity" | "dependencies">>): string[] {
  const out: string[] = [];
  for (const [id, now] of planned) {
    const was = locked.plugins[id];
    if (!was) {
      out.push(`${id}: not in the lockfile`);
      continue;
    }
    if (was.version !== now.version) out.push(`${id}: version ${was.version} locked, ${now.version} now`);
    if (was.resolved !== now.resolved) out.push(`${id}: source ${was.resolved} locked, ${now.resolved} now`);
    if ((was.commit ?? "") !== (now.commit ?? "")) out.push(`${id}: commit ${was.commit ?? "none"} locked, ${now.commit ?? "none"} now`);
    if (was.integrity !== now.integrity) out.push(`${id}: content differs (integrity ${was.integrity.slice(0, 19)}… locked, ${now.integrity.slice(0, 19)}… now)`);
    const a = [...was.dependencies].sort().join(",");
    const b = [...now.dependencies].sort().join(",");
    if (a !== b) out.push(`${id}: dependencies [${a}] locked, [${b}] now`);
  }
  return out;
}
