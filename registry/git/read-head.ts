import { readFile } from "../files/async-fs.js";
import { join } from "node:path";

const sha = /^[0-9a-f]{40}$/;

/**
 * The commit HEAD of a fresh checkout points at, read from .git/HEAD and the loose or packed ref it
 * names: a clone needs no extra `git rev-parse` process. Undefined when the files say otherwise
 * (worktrees, reftable, symbolic chains); callers then ask git.
 */
export async function readHead(workTree: string): Promise<string | undefined> {
  const gitDir = join(workTree, ".git");
  const head = (await readFile(join(gitDir, "HEAD"), "utf8").catch(() => "")).trim();
  if (sha.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const loose = (await readFile(join(gitDir, ref), "utf8").catch(() => "")).trim();
  if (sha.test(loose)) return loose;
  const packed = await readFile(join(gitDir, "packed-refs"), "utf8").catch(() => "");
  for (const line of packed.split("\n")) {
    const [id, name] = line.split(" ");
    if (name === ref && id && sha.test(id)) return id;
  }
  return undefined;
}
