import { join } from "node:path";
import type { z } from "zod";
import type { gitMarketplaceSourceSchema, githubMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import type { urlPluginSourceSchema } from "../../schemas/plugin-source.js";
import { cloneRepo } from "../git/clone-repo.js";
import type { GitRunOptions } from "../git/run-git.js";
import { manifestPathIn } from "../marketplace/marketplace-paths.js";
import { gitOptionsFor } from "./fetcher.js";
import type { FetchContext, MarketplaceSourceHandler, MaterializedMarketplace, PluginSourceHandler } from "./source.js";

type GitSource = z.infer<typeof gitMarketplaceSourceSchema>;
type GitRepoSource = GitSource | z.infer<typeof githubMarketplaceSourceSchema>;
type UrlPluginSource = z.infer<typeof urlPluginSourceSchema>;

/**
 * Git marketplaces (any URL git understands: https, http, ssh, scp-like, file://) are shallow,
 * single-branch clones without tags; `sparsePaths` become a cone-mode sparse checkout that always
 * includes the directory of marketplace.json.
 */
export async function cloneMarketplace(url: string, source: GitRepoSource, dest: string, git: GitRunOptions): Promise<MaterializedMarketplace> {
  const manifest = manifestPathIn(source);
  const sparsePaths = source.sparsePaths?.length ? withManifestDir(source.sparsePaths, manifest) : undefined;
  const env = source.skipLfs ? { ...git.env, GIT_LFS_SKIP_SMUDGE: "1" } : git.env;
  const { commit } = await cloneRepo({ url, dest, ref: source.ref, sparsePaths }, { ...git, env });
  return { installLocation: dest, manifestPath: join(dest, manifest), pluginRoot: dest, commit };
}

function withManifestDir(paths: string[], manifest: string): string[] {
  const dir = manifest.split("/").slice(0, -1).join("/");
  return !dir || paths.includes(dir) ? paths : [...paths, dir];
}

export const gitMarketplace: MarketplaceSourceHandler<GitSource> = {
  kind: "git",
  fetch: (source, dest, ctx) => cloneMarketplace(source.url, source, dest, gitOptionsFor(ctx)),
};

/**
 * A plugin from a git URL ({source:"url", url, ref?, sha?}): shallow clone pinned to the resolved
 * commit, or a blobless clone that proves `sha` is on the ref. Unlike Claude Code, no .git is kept.
 */
export function cloneGitPlugin(url: string, source: { ref?: string | undefined; sha?: string | undefined }, dest: string, ctx: FetchContext, token?: GitRunOptions["token"]) {
  return cloneRepo({ url, dest, ref: source.ref, sha: source.sha, dropGitDir: true }, gitOptionsFor(ctx, token)).then(({ commit }) => ({ dir: dest, commit }));
}

export const gitPlugin: PluginSourceHandler<UrlPluginSource> = {
  kind: "url",
  fetch: (source, dest, ctx) => cloneGitPlugin(source.url, source, dest, ctx),
};
