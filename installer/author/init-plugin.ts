import { chmod, mkdir, readdir, writeFile } from "../../registry/files/async-fs.js";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runGit } from "../../registry/git/run-git.js";
import { AgentError } from "../../schemas/errors.js";
import { kebabCasePattern } from "../../schemas/names.js";
import { scaffoldFiles, scaffoldParts, type ScaffoldPart } from "./scaffold-files.js";

export interface InitResult {
  name: string;
  dir: string;
  parts: ScaffoldPart[];
  files: string[];
}

/** Writes a new plugin that `agent plugin validate` passes clean, into `dir` (new or empty). */
export async function initPlugin(name: string, dir: string, parts: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<InitResult> {
  if (!kebabCasePattern.test(name)) {
    throw new AgentError("E_USAGE", `Plugin name "${name}" must be kebab-case (lowercase letters, digits and single hyphens)`, {
      hint: `agent plugin init ${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "my-plugin"}`,
      details: { name },
    });
  }
  const unknown = parts.filter((p) => !(scaffoldParts as readonly string[]).includes(p));
  if (unknown.length) {
    throw new AgentError("E_USAGE", `Unknown --with part${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, { hint: `Choose from ${scaffoldParts.join(",")}`, details: { unknown } });
  }
  const root = resolve(dir);
  const existing = await readdir(root).catch(() => [] as string[]);
  if (existing.length) {
    throw new AgentError("E_ALREADY_EXISTS", `${root} already exists and is not empty`, { hint: "Pick a new directory with --dir, or empty this one.", details: { dir: root, entries: existing.slice(0, 10) } });
  }
  const chosen = scaffoldParts.filter((p) => parts.includes(p));
  const files = scaffoldFiles(name, await authorName(env), chosen);
  for (const [path, file] of Object.entries(files)) {
    const abs = join(root, path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, file.content, { flag: "wx" });
    if (file.executable) await chmod(abs, 0o755);
  }
  return { name, dir: root, parts: chosen, files: Object.keys(files).sort() };
}

/** The author's name from `git config user.name`, else the login name. */
async function authorName(env: NodeJS.ProcessEnv): Promise<string> {
  const fromGit = await runGit(["config", "user.name"], { env, timeoutMs: 5_000 }).catch(() => "");
  return fromGit.trim() || userInfo().username;
}
