import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** --data, else <agent home>/registry. */
export function registryDataDir(data: string | undefined, cwd: string, env: NodeJS.ProcessEnv, home?: string): string {
  if (data) return resolve(cwd, data);
  return join(home ?? env.AGENT_HOME ?? join(env.HOME ?? homedir(), ".agent"), "registry");
}
