import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extractTarball } from "../../registry/archive/extract-tarball.js";
import { requireTool } from "../support/real-parts.js";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "./work-dir.js";

afterEach(removeWorkDirs);

async function scaffold(cwd: string, name: string): Promise<string> {
  const init = await agent(["plugin", "init", name, "--with", "skills,hooks,commands"], { cwd });
  expect(init.status).toBe(0);
  return join(cwd, name);
}

describe("agent plugin pack", () => {
  it("gives the same sha512 for the same files, whatever their mtimes, group bits and copy", async () => {
    const cwd = workDir();
    const plugin = await scaffold(cwd, "steady");
    const copy = join(cwd, "copy");
    cpSync(plugin, copy, { recursive: true });
    utimesSync(join(copy, "README.md"), new Date("2001-01-01"), new Date("2001-01-01"));
    chmodSync(join(copy, "commands", "hello.md"), 0o664);
    chmodSync(join(copy, "hooks", "session-start.sh"), 0o775);
    const first = await agent(["plugin", "pack", plugin, "-o", join(cwd, "a.tgz"), "--json"], { cwd });
    const second = await agent(["plugin", "pack", copy, "-o", join(cwd, "b.tgz"), "--json"], { cwd });
    expect(first.status).toBe(0);
    expect(first.json().integrity).toMatch(/^sha512-/);
    expect(second.json().integrity).toBe(first.json().integrity);
    expect(readFileSync(join(cwd, "b.tgz")).equals(readFileSync(join(cwd, "a.tgz")))).toBe(true);
    writeFileSync(join(copy, "README.md"), "changed\n");
    const third = await agent(["plugin", "pack", copy, "-o", join(cwd, "c.tgz"), "--json"], { cwd });
    expect(third.json().integrity).not.toBe(first.json().integrity);
  });

  it("writes npm's layout: package/ prefix, sorted entries, fixed mtime, 0644/0755 modes (read by GNU tar)", async () => {
    requireTool("tar");
    const cwd = workDir();
    const plugin = await scaffold(cwd, "layout");
    const pack = await agent(["plugin", "pack", plugin], { cwd });
    expect(pack.status).toBe(0);
    expect(pack.stdout).toContain("integrity: sha512-");
    const listing = execFileSync("tar", ["-tvzf", join(cwd, "layout-0.1.0.tgz"), "--utc", "--numeric-owner"], { encoding: "utf8" }).trim().split("\n");
    const names = listing.map((l) => l.split(/\s+/).at(-1)!);
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => n.startsWith("package/"))).toBe(true);
    expect(names).toContain("package/package.json");
    for (const line of listing) {
      expect(line).toMatch(/ 0\/0 /);
      expect(line).toContain("1985-10-26 08:15");
      expect(line.startsWith(line.endsWith(".sh") ? "-rwxr-xr-x" : "-rw-r--r--")).toBe(true);
    }
    const header = readFileSync(join(cwd, "layout-0.1.0.tgz")).subarray(0, 10);
    expect([...header.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    expect(header[9]).toBe(3);
  });

  it("generates package.json from plugin.json, and real npm installs the tarball", async () => {
    requireTool("npm");
    const cwd = workDir();
    const plugin = await scaffold(cwd, "npm-ready");
    const pack = await agent(["plugin", "pack", plugin, "-o", join(cwd, "out", "p.tgz"), "--json"], { cwd });
    expect(pack.json()).toMatchObject({ name: "npm-ready", version: "0.1.0", packageJsonGenerated: true });
    const dest = join(cwd, "unpacked");
    await extractTarball(readFileSync(join(cwd, "out", "p.tgz")), dest, { what: "p.tgz", strip: 1 });
    expect(JSON.parse(readFileSync(join(dest, "package.json"), "utf8"))).toEqual({
      name: "npm-ready",
      version: "0.1.0",
      description: "The npm-ready plugin",
      keywords: ["claude-code-plugin"],
      license: "MIT",
      files: [".claude-plugin", "README.md", "commands", "hooks", "skills"],
    });
    expect(readFileSync(join(dest, "skills", "hello", "SKILL.md"), "utf8")).toBe(readFileSync(join(plugin, "skills", "hello", "SKILL.md"), "utf8"));
    const project = join(cwd, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{"name":"consumer","version":"1.0.0"}');
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(cwd, "out", "p.tgz")], {
      cwd: project,
      env: { ...process.env, npm_config_cache: join(cwd, "npm-cache"), npm_config_update_notifier: "false" },
      stdio: "pipe",
    });
    expect(readFileSync(join(project, "node_modules", "npm-ready", ".claude-plugin", "plugin.json"), "utf8")).toContain('"npm-ready"');
  });

  it("keeps the plugin's own package.json and refuses one whose version disagrees with plugin.json", async () => {
    const cwd = workDir();
    const plugin = await scaffold(cwd, "owned");
    writeFileSync(join(plugin, "package.json"), JSON.stringify({ name: "@corp/owned", version: "0.1.0" }));
    const pack = await agent(["plugin", "pack", plugin, "--json"], { cwd });
    expect(pack.json()).toMatchObject({ name: "@corp/owned", packageJsonGenerated: false, file: join(cwd, "corp-owned-0.1.0.tgz") });
    writeFileSync(join(plugin, "package.json"), JSON.stringify({ name: "@corp/owned", version: "9.9.9" }));
    const refused = await agent(["plugin", "pack", plugin, "--json"], { cwd });
    expect(refused.status).toBe(1);
    expect(refused.json().error).toMatchObject({ code: "E_INVALID_MANIFEST", details: { packageJson: "9.9.9", pluginJson: "0.1.0" } });
  });
});
