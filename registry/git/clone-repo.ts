import { rm } from "../files/async-fs.js";
import { join } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { readHead } from "./read-head.js";
import { runGit, type GitRunOptions } from "./run-git.js";

export interface CloneRequest {
  url: string;
  dest: string;
  /** branch or tag; the remote's default branch when absent */
  ref?: string | undefined;
  /** a 40-hex commit that must be reachable from `ref` (or the default branch) */
  sha?: string | undefined;
  /** cone-mode sparse checkout of these directories */
  sparsePaths?: string[] | undefined;
  /** git-subdir: a partial clone (--filter=tree:0) that materializes only this directory */
  subdir?: string | undefined;
  /** drop .git after checkout (plugin sources keep no repository) */
  dropGitDir?: boolean;
}

/**
 * Clones as little as possible and returns the commit checked out:
 *  - no sha: `clone --depth 1 --single-branch --no-tags [--branch ref]`;
 *  - sha: a blobless clone of the one branch (commits only), then the sha must be in that branch's
 *    history: otherwise E_REF_NOT_FOUND, never a silent fallback to the branch head;
 *  - sparse/subdir: `--sparse` (+ `--filter=tree:0` for subdir) and `sparse-checkout set --cone`.
 */
export async function cloneRepo(request: CloneRequest, git: GitRunOptions): Promise<{ commit: string }> {
  const sparse = request.subdir ? [request.subdir] : request.sparsePaths;
  const args = ["clone", "--quiet", "--no-tags", "--single-branch"];
  if (request.ref) args.push("--branch", request.ref);
  if (request.sha) args.push("--no-checkout", request.subdir ? "--filter=tree:0" : "--filter=blob:none");
  else {
    args.push("--depth", "1");
    if (request.subdir) args.push("--filter=tree:0");
  }
  if (sparse?.length) args.push("--sparse");
  args.push("--", request.url, request.dest);
  await runGit(args, git);

  const inRepo = { ...git, cwd: request.dest };
  if (sparse?.length) await runGit(["sparse-checkout", "set", "--cone", "--", ...sparse], inRepo);
  if (request.sha) {
    const history = (await runGit(["rev-list", "HEAD"], inRepo)).split("\n");
    if (!history.includes(request.sha)) {
      throw new AgentError("E_REF_NOT_FOUND", `Commit ${request.sha} is not in the history of ${request.ref ?? "the default branch"} of ${request.url}`, {
        hint: "Pin a sha that the ref contains (git log <ref>), or drop `sha` to take the ref's head.",
        details: { url: request.url, ref: request.ref, sha: request.sha },
      });
    }
    await runGit(["checkout", "--quiet", "--detach", request.sha], inRepo);
  }
  const commit = (await readHead(request.dest)) ?? (await runGit(["rev-parse", "HEAD"], inRepo)).trim();
  if (request.sha && commit !== request.sha) {
    throw new AgentError("E_INTEGRITY", `SHA pin verification failed: checked out ${commit}, expected ${request.sha}`, { details: { url: request.url, sha: request.sha, commit } });
  }
  if (request.subdir) {
    const head = (await runGit(["ls-tree", "-d", "HEAD", "--", request.subdir.replace(/\/+$/, "")], inRepo)).trim();
    if (!head) {
      throw new AgentError("E_NOT_FOUND", `Path ${request.subdir} does not exist in ${request.url} at ${commit.slice(0, 12)}`, {
        hint: "Check the `path` of the git-subdir source.",
        details: { url: request.url, path: request.subdir, commit },
      });
    }
  }
  if (request.dropGitDir) await rm(join(request.dest, ".git"), { recursive: true, force: true });
  return { commit };
}

/** The commit a working tree is at, or undefined when it is not a git checkout. */
export async function headCommit(dir: string, git: GitRunOptions): Promise<string | undefined> {
  try {
    const out = (await runGit(["rev-parse", "HEAD"], { ...git, cwd: dir })).trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}
