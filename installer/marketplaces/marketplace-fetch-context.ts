import type { FetchContext } from "../../registry/sources/source.js";
import type { ManagedSettings } from "../../schemas/settings.js";
import type { StatePaths } from "../state-paths.js";

/** The FetchContext marketplace operations hand to registry/sources. */
export function marketplaceFetchContext(paths: StatePaths, env: NodeJS.ProcessEnv, policy: ManagedSettings, log: (line: string) => void, signal?: AbortSignal): FetchContext {
  return { env, log, policy, home: paths.home, npmCacheDir: paths.npmCacheDir, ...(signal ? { signal } : {}) };
}
