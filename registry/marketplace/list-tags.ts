import { AgentError } from "../../schemas/errors.js";
import { runGit, type GitRunOptions } from "../git/run-git.js";

export interface ReleaseTag {
  tag: string;
  /** the plugin name and version encoded in the tag {name}--v{version} */
  name: string;
  version: string;
  /** the commit the tag points at (annotated tags peeled) */
  commit: string;
}

export type TagSource = { dir: string } | { url: string };

/**
 * Release tags `{name}--v{version}` of a git-backed marketplace (reference §6.5). A full local clone is
 * read with `git for-each-ref`; a shallow one (our marketplace clones fetch no tags) or a remote URL
 * with `git ls-remote --tags` against its origin. `name` filters to one plugin.
 */
export async function listTags(from: TagSource, git: GitRunOptions, name?: string): Promise<ReleaseTag[]> {
  const pattern = name ? `${name}--v*` : "*--v*";
  if ("dir" in from) {
    const local = { ...git, cwd: from.dir };
    const shallow = (await runGit(["rev-parse", "--is-shallow-repository"], local)).trim() === "true";
    if (!shallow) {
      const out = await runGit(["for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", `refs/tags/${pattern}`], local);
      return sortTags(out.split("\n").filter(Boolean).flatMap((line) => {
        const [tag, object, peeled] = line.split(" ");
        return releaseTag(tag!, peeled || object!);
      }));
    }
    const origin = (await runGit(["remote", "get-url", "origin"], local).catch(() => "")).trim();
    if (!origin) throw new AgentError("E_GIT", `${from.dir} is a shallow clone without an origin to list tags from`, { details: { dir: from.dir } });
    return listTags({ url: origin }, git, name);
  }
  const out = await runGit(["ls-remote", "--tags", "--", from.url, `refs/tags/${pattern}`], git);
  const byTag = new Map<string, string>();
  for (const line of out.split("\n").filter(Boolean)) {
    const [sha, ref] = line.split("\t") as [string, string];
    const tag = ref.replace(/^refs\/tags\//, "");
    if (tag.endsWith("^{}")) byTag.set(tag.slice(0, -3), sha);
    else if (!byTag.has(tag)) byTag.set(tag, sha);
  }
  return sortTags([...byTag].flatMap(([tag, commit]) => releaseTag(tag, commit)));
}

function releaseTag(tag: string, commit: string): ReleaseTag[] {
  const at = tag.lastIndexOf("--v");
  if (at <= 0) return [];
  return [{ tag, name: tag.slice(0, at), version: tag.slice(at + 3), commit }];
}

function sortTags(tags: ReleaseTag[]): ReleaseTag[] {
  return tags.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}
