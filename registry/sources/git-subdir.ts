import { join } from "node:path";
import type { z } from "zod";
import type { gitSubdirPluginSourceSchema } from "../../schemas/plugin-source.js";
import { cloneRepo } from "../git/clone-repo.js";
import { githubBaseUrl, githubCloneUrl, githubToken, gitOptionsFor } from "./fetcher.js";
import type { PluginSourceHandler } from "./source.js";

type GitSubdirSource = z.infer<typeof gitSubdirPluginSourceSchema>;

const githubShorthand = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * One directory of a repository: a partial clone (--filter=tree:0) with a cone sparse checkout of
 * `path`, so only that subtree is downloaded and materialized; `url` may be `owner/repo`.
 */
export const gitSubdirPlugin: PluginSourceHandler<GitSubdirSource> = {
  kind: "git-subdir",
  async fetch(source, dest, ctx) {
    const onGithub = githubShorthand.test(source.url);
    const url = onGithub ? githubCloneUrl(source.url, ctx.env) : source.url;
    const token = onGithub && githubToken(ctx.env) ? { value: githubToken(ctx.env)!, url: githubBaseUrl(ctx.env) } : undefined;
    const path = source.path.replace(/^\.\//, "").replace(/\/+$/, "");
    const { commit } = await cloneRepo({ url, dest, ref: source.ref, sha: source.sha, subdir: path, dropGitDir: true }, gitOptionsFor(ctx, token));
    return { dir: join(dest, path), commit, subdirPath: path };
  },
};
