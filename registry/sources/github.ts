import type { z } from "zod";
import type { githubMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import type { githubPluginSourceSchema } from "../../schemas/plugin-source.js";
import { githubBaseUrl, githubCloneUrl, githubToken, gitOptionsFor } from "./fetcher.js";
import { cloneGitPlugin, cloneMarketplace } from "./git.js";
import type { FetchContext, MarketplaceSourceHandler, PluginSourceHandler } from "./source.js";

type GithubMarketplaceSource = z.infer<typeof githubMarketplaceSourceSchema>;
type GithubPluginSource = z.infer<typeof githubPluginSourceSchema>;

/**
 * `owner/repo` on GitHub, cloned over https from AGENT_GITHUB_BASE_URL (default https://github.com).
 * GITHUB_TOKEN / GH_TOKEN go as HTTP basic auth to that host only, through the environment of the git
 * process (never argv, never a file); without one, the user's credential helpers answer.
 */
function tokenFor(ctx: FetchContext) {
  const value = githubToken(ctx.env);
  return value ? { value, url: githubBaseUrl(ctx.env) } : undefined;
}

export const githubMarketplace: MarketplaceSourceHandler<GithubMarketplaceSource> = {
  kind: "github",
  fetch: (source, dest, ctx) => cloneMarketplace(githubCloneUrl(source.repo, ctx.env), source, dest, gitOptionsFor(ctx, tokenFor(ctx))),
};

export const githubPlugin: PluginSourceHandler<GithubPluginSource> = {
  kind: "github",
  fetch: (source, dest, ctx) => cloneGitPlugin(githubCloneUrl(source.repo, ctx.env), source, dest, ctx, tokenFor(ctx)),
};
