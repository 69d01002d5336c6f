import { join } from "node:path";
import type { GitRunOptions } from "../git/run-git.js";
import type { FetchContext } from "./source.js";

/**
 * What every source kind shares (pacote's fetcher.js): the network timeout, git options, the npm
 * cache and token lookup. Each <kind>.ts adds only what is particular to its kind.
 */
export const defaultFetchTimeoutMs = 120_000;

export function timeoutFor(ctx: FetchContext): number {
  if (ctx.timeoutMs) return ctx.timeoutMs;
  const fromEnv = Number.parseInt(ctx.env.AGENT_FETCH_TIMEOUT_MS ?? "", 10);
  return fromEnv > 0 ? fromEnv : defaultFetchTimeoutMs;
}

export function gitOptionsFor(ctx: FetchContext, token?: GitRunOptions["token"]): GitRunOptions {
  return { env: ctx.env, timeoutMs: timeoutFor(ctx), ...(ctx.signal ? { signal: ctx.signal } : {}), ...(token ? { token } : {}) };
}

export function npmCacheDirFor(ctx: FetchContext): string {
  return ctx.npmCacheDir ?? join(ctx.home, "plugins", "npm-cache");
}

/** GITHUB_TOKEN, then GH_TOKEN: sent to the GitHub base URL only. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/** Base URL GitHub repos are cloned from; AGENT_GITHUB_BASE_URL points it elsewhere (tests, GHE). */
export function githubBaseUrl(env: NodeJS.ProcessEnv): string {
  return (env.AGENT_GITHUB_BASE_URL || "https://github.com").replace(/\/+$/, "");
}

export function githubCloneUrl(repo: string, env: NodeJS.ProcessEnv): string {
  return `${githubBaseUrl(env)}/${repo}.git`;
}
