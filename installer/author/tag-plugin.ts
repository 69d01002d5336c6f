import { resolve } from "node:path";
import { runGit, type GitRunOptions } from "../../registry/git/run-git.js";
import { readPluginManifest } from "../../registry/plugin/read-plugin-manifest.js";
import { AgentError } from "../../schemas/errors.js";

export interface TagOptions {
  push: boolean;
  dryRun: boolean;
  /** tag message; %s becomes the version. Default "<name> <version>" */
  message?: string | undefined;
  env: NodeJS.ProcessEnv;
}

export interface TagResult {
  tag: string;
  name: string;
  version: string;
  message: string;
  commit: string;
  repo: string;
  pushed: boolean;
  dryRun: boolean;
}

/**
 * `agent plugin tag`: an annotated git tag `{name}--v{version}` (the release-tag convention dependency
 * ranges resolve against) on HEAD of the plugin's repository. Refuses when the plugin's files have
 * uncommitted changes or the tag exists locally or (with --push) on origin, before creating anything.
 */
export async function tagPlugin(dir: string, options: TagOptions): Promise<TagResult> {
  const root = resolve(dir);
  const read = readPluginManifest(root);
  if (read.status !== "ok" || !read.manifest.version) {
    throw new AgentError("E_INVALID_MANIFEST", `${root} has no plugin.json with a name and a version to tag`, { hint: `agent plugin validate ${root}`, details: { dir: root } });
  }
  const { name, version } = { name: read.manifest.name, version: read.manifest.version };
  const git: GitRunOptions = { env: options.env, timeoutMs: 60_000, cwd: root };
  const repo = (await runGit(["rev-parse", "--show-toplevel"], git).catch(() => "")).trim();
  if (!repo) throw new AgentError("E_NOT_FOUND", `${root} is not inside a git repository`, { hint: "git init && git add . && git commit -m 'first version'", details: { dir: root } });
  const dirty = (await runGit(["status", "--porcelain", "--untracked-files=all", "--", "."], git)).split("\n").filter(Boolean);
  if (dirty.length) {
    throw new AgentError("E_CONFLICT", `The plugin has uncommitted changes, so ${name}--v${version} would not tag what is on disk`, {
      hint: "Commit or stash them, then tag again.",
      details: { dir: root, changes: dirty.slice(0, 20) },
    });
  }
  const tag = `${name}--v${version}`;
  const commit = (await runGit(["rev-parse", "HEAD"], git)).trim();
  const existing = (await runGit(["tag", "--list", tag], git)).trim();
  if (existing) throw tagExists(tag, "in this repository");
  if (options.push && (await runGit(["ls-remote", "--tags", "origin", `refs/tags/${tag}`], git)).trim()) throw tagExists(tag, "on origin");
  const message = (options.message ?? `${name} ${version}`).replace(/%s/g, version);
  const result: TagResult = { tag, name, version, message, commit, repo, pushed: false, dryRun: options.dryRun };
  if (options.dryRun) return result;
  await runGit(["tag", "-a", tag, "-m", message], git);
  if (options.push) {
    await runGit(["push", "origin", `refs/tags/${tag}`], git);
    result.pushed = true;
  }
  return result;
}

function tagExists(tag: string, where: string): AgentError {
  return new AgentError("E_ALREADY_EXISTS", `Tag ${tag} already exists ${where}`, {
    hint: "Bump the version in plugin.json and commit; a released tag is never moved.",
    details: { tag },
  });
}
