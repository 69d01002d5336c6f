import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitIdentityEnv } from "../support/git-server.js";
import { requireTool } from "../support/real-parts.js";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "./work-dir.js";

afterEach(removeWorkDirs);

function writeTree(dir: string, files: { [path: string]: string }): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A plugin directory with the litter npm always leaves out: a git repo, node_modules, lockfile, .DS_Store, logs. */
function pluginWithLitter(dir: string, extra: { [path: string]: string }): string {
  writeTree(dir, {
    ".claude-plugin/plugin.json": JSON.stringify({ name: "tidy", version: "1.0.0" }),
    "commands/tidy.md": "Tidy up.\n",
    "commands/.DS_Store": "litter",
    "skills/tidy/SKILL.md": "---\nname: tidy\ndescription: tidies\n---\nTidy.\n",
    "README.md": "# tidy\n",
    "LICENSE": "MIT\n",
    "node_modules/dep/index.js": "module.exports = 1;\n",
    "package-lock.json": "{}\n",
    "npm-debug.log": "boom\n",
    ".DS_Store": "litter",
    ".npmrc": "registry=http://127.0.0.1:1/\n",
    ...extra,
  });
  execFileSync("git", ["init", "-q", dir], { env: { ...process.env, ...gitIdentityEnv } });
  return dir;
}

/** The file list of real `npm pack --dry-run --json`: the oracle. */
function npmPackList(dir: string): string[] {
  requireTool("npm");
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, npm_config_cache: join(dir, "..", "npm-cache"), npm_config_loglevel: "error", npm_config_update_notifier: "false" },
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
}

async function agentPackList(dir: string): Promise<string[]> {
  const pack = await agent(["plugin", "pack", dir, "-o", join(dir, "..", "out.tgz"), "--json"], { cwd: dir });
  expect(pack.status, pack.stdout + pack.stderr).toBe(0);
  return pack.json().files;
}

describe("agent plugin pack chooses files as npm pack does", () => {
  it("honours the files allowlist of package.json, and always packs package.json, README, LICENSE and main", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), {
      "package.json": JSON.stringify({ name: "tidy", version: "1.0.0", main: "index.js", files: [".claude-plugin", "commands", "skills/", "lib/*.js"] }),
      "index.js": "module.exports = {};\n",
      "lib/run.js": "run();\n",
      "lib/run.test.ts": "test();\n",
      "CHANGELOG.md": "not listed\n",
      "secrets.txt": "not listed\n",
      "skills/tidy/.npmignore": "notes.md\n",
      "skills/tidy/notes.md": "ignored inside an allowed folder\n",
    });
    const ours = await agentPackList(dir);
    expect(ours).toEqual(npmPackList(dir));
    expect(ours).toContain("index.js");
    expect(ours).toContain("LICENSE");
    expect(ours).not.toContain("CHANGELOG.md");
    expect(ours).not.toContain("skills/tidy/notes.md");
    expect(ours).not.toContain("lib/run.test.ts");
  });

  it("uses .npmignore when there is one, in every folder, and then ignores .gitignore", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), {
      "package.json": JSON.stringify({ name: "tidy", version: "1.0.0" }),
      ".npmignore": "tests/\n*.log\n",
      ".gitignore": "build/\n",
      "tests/tidy.test.js": "test();\n",
      "debug.log": "noise\n",
      "build/out.js": "built();\n",
      "commands/.npmignore": "draft-*.md\n",
      "commands/draft-1.md": "draft\n",
    });
    const ours = await agentPackList(dir);
    expect(ours).toEqual(npmPackList(dir));
    expect(ours).toContain("build/out.js");
    expect(ours).not.toContain("tests/tidy.test.js");
    expect(ours).not.toContain("commands/draft-1.md");
  });

  it("falls back to .gitignore without .npmignore, and never packs .git, node_modules, lockfiles or .npmrc", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), {
      "package.json": JSON.stringify({ name: "tidy", version: "1.0.0" }),
      ".gitignore": "dist/\n*.tmp\n",
      "dist/bundle.js": "bundle();\n",
      "skills/tidy/cache.tmp": "tmp\n",
      "skills/tidy/.gitignore": "scratch/\n",
      "skills/tidy/scratch/x.md": "scratch\n",
    });
    const ours = await agentPackList(dir);
    expect(ours).toEqual(npmPackList(dir));
    expect(ours).toEqual([".claude-plugin/plugin.json", "LICENSE", "README.md", "commands/tidy.md", "package.json", "skills/tidy/SKILL.md"]);
  });

  it("without a package.json applies .npmignore and leaves the ignored files out of the generated one", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), { ".npmignore": "drafts/\n", "drafts/idea.md": "later\n" });
    const pack = await agent(["plugin", "pack", dir, "-o", join(dir, "..", "out.tgz"), "--json"], { cwd: dir });
    expect(pack.status).toBe(0);
    expect(pack.json().files).toEqual([".claude-plugin/plugin.json", "LICENSE", "README.md", "commands/tidy.md", "package.json", "skills/tidy/SKILL.md"]);
    requireTool("tar");
    const generated = JSON.parse(execFileSync("tar", ["-xzOf", join(dir, "..", "out.tgz"), "package/package.json"], { encoding: "utf8" }));
    expect(generated.files).toEqual([".claude-plugin", "LICENSE", "README.md", "commands", "skills"]);
    const again = await agent(["plugin", "pack", dir, "-o", join(dir, "..", "again.tgz"), "--json"], { cwd: dir });
    expect(again.json().integrity).toBe(pack.json().integrity);
  });

  it("without a package.json still packs README, LICENSE and COPYING that an ignore file names, as npm does", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), { ".npmignore": "README.md\nLICENSE\nCOPYING.txt\nnotes.txt\n", "COPYING.txt": "GPL\n", "notes.txt": "mine\n" });
    const ours = await agentPackList(dir);
    expect(ours).toEqual([".claude-plugin/plugin.json", "COPYING.txt", "LICENSE", "README.md", "commands/tidy.md", "package.json", "skills/tidy/SKILL.md"]);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tidy", version: "1.0.0" }));
    expect(npmPackList(dir)).toEqual(ours);
  });

  it("a files list that leaves out .claude-plugin is refused: the package would not be a plugin", async () => {
    const dir = pluginWithLitter(join(workDir(), "tidy"), { "package.json": JSON.stringify({ name: "tidy", version: "1.0.0", files: ["commands"] }) });
    const pack = await agent(["plugin", "pack", dir, "-o", join(dir, "..", "out.tgz"), "--json"], { cwd: dir });
    expect(pack.status).not.toBe(0);
    expect(pack.json().error.code).toBe("E_INVALID_MANIFEST");
    expect(pack.json().error.hint).toContain('"files"');
  });
});
