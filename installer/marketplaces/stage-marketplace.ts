import { uniqueSuffix } from "../../registry/files/unique-name.js";
import { mkdir, rename, rm, stat } from "../../registry/files/async-fs.js";
import { join, relative, sep } from "node:path";
import { marketplaceFetcher } from "../../registry/sources/index.js";
import type { FetchContext, MaterializedMarketplace } from "../../registry/sources/source.js";
import type { ReadMarketplace } from "../../registry/marketplace/read-marketplace.js";
import { sourceKey } from "../../registry/sources/policy.js";
import { AgentError, isAgentError } from "../../schemas/errors.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import { withStoredToken } from "./marketplace-token.js";

/**
 * A marketplace fetched into a temp path beside plugins/marketplaces/<name> and parsed, not yet in
 * place. `commit(final)` renames it into place (the old copy moves aside until `finish`); `discard`
 * removes every trace, including directories it created, so a failure leaves the state dir as it was.
 */
export interface StagedMarketplace {
  materialized: MaterializedMarketplace;
  read: ReadMarketplace;
  /** moves the staged copy to `final` (when it was copied at all) and returns its installLocation there */
  commit(final: string): Promise<string>;
  /** puts the previous copy back after a failed commit */
  rollback(): Promise<void>;
  /** drops the temp copy and the previous copy */
  finish(): Promise<void>;
}

export async function stageMarketplace(source: MarketplaceSource, marketplacesDir: string, ctx: FetchContext): Promise<StagedMarketplace> {
  return (await startStaging(source, marketplacesDir, ctx)).staged;
}

/**
 * stageMarketplace in two steps: resolves once the fetch has started (a git source has spawned git),
 * with the staging itself still to settle, so a caller can load other code while git runs without
 * delaying its start. A failure before or after that point rejects `staged`.
 */
export async function startStaging(source: MarketplaceSource, marketplacesDir: string, ctx: FetchContext): Promise<{ staged: Promise<StagedMarketplace> }> {
  const tag = `${process.pid}-${uniqueSuffix()}`;
  const temp = join(marketplacesDir, `.staging-${tag}`);
  let created: string | undefined;
  const cleanup = async () => {
    await rm(temp, { recursive: true, force: true });
    if (created) await rm(created, { recursive: true, force: true }).catch(() => {});
  };
  const failed = async (error: unknown): Promise<never> => {
    await cleanup();
    throw namingTheSource(error, temp, source);
  };
  let fetching: Promise<MaterializedMarketplace>;
  try {
    created = await mkdir(marketplacesDir, { recursive: true });
    fetching = (await marketplaceFetcher(source, await withStoredToken(source, ctx)))(temp);
  } catch (error) {
    return settled(failed(error));
  }
  // the reader loads and sets up while git or the download runs
  const reader = import("../../registry/marketplace/read-marketplace.js").then(async (module) => {
    await module.prepareMarketplaceParser();
    return module;
  });
  return settled(
    (async () => {
      let materialized: MaterializedMarketplace;
      let read: ReadMarketplace;
      try {
        materialized = await fetching;
        read = await (await reader).readMarketplace(materialized.installLocation, source);
      } catch (error) {
        return failed(error);
      }
      return placement({ materialized, read, temp, tag, marketplacesDir, cleanup });
    })(),
  );
}

/** The caller settles `staged` later: until then its rejection is not reported as unhandled. */
function settled(staged: Promise<StagedMarketplace>): { staged: Promise<StagedMarketplace> } {
  staged.catch(() => {});
  return { staged };
}

function placement(parts: { materialized: MaterializedMarketplace; read: ReadMarketplace; temp: string; tag: string; marketplacesDir: string; cleanup(): Promise<void> }): StagedMarketplace {
  const { materialized, read, temp, tag, marketplacesDir, cleanup } = parts;
  const staged = isWithin(temp, materialized.installLocation);
  let final: string | undefined;
  let aside: string | undefined;
  return {
    materialized,
    read,
    async commit(target) {
      if (!staged) {
        await rm(temp, { recursive: true, force: true });
        return materialized.installLocation;
      }
      final = target;
      if (await stat(target).catch(() => undefined)) {
        aside = join(marketplacesDir, `.previous-${tag}`);
        await rename(target, aside);
      }
      await rename(temp, target);
      return join(target, relative(temp, materialized.installLocation));
    },
    async rollback() {
      if (final && staged) await rm(final, { recursive: true, force: true });
      if (aside && final) await rename(aside, final);
      aside = undefined;
      final = undefined;
      await cleanup();
    },
    async finish() {
      if (aside) await rm(aside, { recursive: true, force: true });
      await rm(temp, { recursive: true, force: true });
    },
  };
}

function isWithin(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

/** Errors about the staged copy name the source the user gave (git:url:path), not a temp path that is gone. */
function namingTheSource(error: unknown, temp: string, source: MarketplaceSource): unknown {
  if (!isAgentError(error) || !JSON.stringify(error).includes(temp)) return error;
  const key = sourceKey(source);
  const swap = (text: string) => text.split(`${temp}/`).join(`${key}:`).split(temp).join(key);
  const details = Object.fromEntries(Object.entries(error.details).map(([k, v]) => [k, typeof v === "string" ? swap(v) : v]));
  return new AgentError(error.code, swap(error.message), { ...(error.hint ? { hint: error.hint } : {}), details, cause: error });
}
