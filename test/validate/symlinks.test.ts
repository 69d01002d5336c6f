import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pluginInventory } from "../../registry/plugin/index.js";
import { validatePath } from "../../registry/validate/validate-path.js";

/** Plugins on a real file system with symlinks in default folders, component files and the root itself. */
describe("plugin reader and symlinks", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), "agent-symlinks-"));
    dirs.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  const manifest = JSON.stringify({ name: "p", version: "1.0.0", description: "d", author: { name: "a" } });
  const command = "---\ndescription: Runs it\n---\nRun.\n";
  const agent = "---\nname: w\ndescription: Works\n---\nWork.\n";

  it("reads a plain layout and reports no symlink escape", () => {
    const root = tree({ "p/.claude-plugin/plugin.json": manifest, "p/commands/run.md": command, "p/agents/w.md": agent, "p/skills/s/SKILL.md": "---\nname: s\ndescription: Skill\n---\nDo.\n" });
    const inventory = pluginInventory(join(root, "p"), { name: "p" });
    expect(inventory.commands.map((c) => c.id)).toEqual(["p:run"]);
    expect(inventory.agents.map((a) => a.id)).toEqual(["p:w"]);
    expect(inventory.skills.map((s) => s.id)).toEqual(["p:s"]);
    expect(inventory.problems).toEqual([]);
  });

  it("reports a default folder that links outside the plugin", () => {
    const root = tree({ "p/.claude-plugin/plugin.json": manifest, "outside/run.md": command });
    symlinkSync(join(root, "outside"), join(root, "p/commands"));
    const report = validatePath(join(root, "p"));
    expect(report.findings.map((f) => f.code)).toContain("symlink-escape");
    expect(pluginInventory(join(root, "p"), { name: "p" }).commands).toEqual([]);
  });

  it("reports a component file that links outside the plugin", () => {
    const root = tree({ "p/.claude-plugin/plugin.json": manifest, "p/agents/.keep": "", "outside/w.md": agent });
    symlinkSync(join(root, "outside/w.md"), join(root, "p/agents/w.md"));
    const report = validatePath(join(root, "p"));
    expect(report.findings.filter((f) => f.code === "symlink-escape").map((f) => f.message)).toEqual([expect.stringContaining("agents/w.md is a symlink to")]);
  });

  it("reads a component that links to a file inside the plugin", () => {
    const root = tree({ "p/.claude-plugin/plugin.json": manifest, "p/docs/w.md": agent, "p/agents/.keep": "" });
    symlinkSync("../docs/w.md", join(root, "p/agents/w.md"));
    const inventory = pluginInventory(join(root, "p"), { name: "p" });
    expect(inventory.agents.map((a) => a.frontmatter.description)).toEqual(["Works"]);
    expect(inventory.problems).toEqual([]);
  });

  it("reads a plugin whose root is itself a symlink", () => {
    const root = tree({ "real/.claude-plugin/plugin.json": manifest, "real/commands/run.md": command });
    symlinkSync(join(root, "real"), join(root, "p"));
    const inventory = pluginInventory(join(root, "p"), { name: "p" });
    expect(inventory.commands.map((c) => c.file)).toEqual([join(root, "p/commands/run.md")]);
    expect(inventory.problems).toEqual([]);
    expect(validatePath(join(root, "p")).findings).toEqual([]);
  });

  it("checks marketplace sources reached through directory symlinks inside and outside the marketplace", () => {
    const market = JSON.stringify({
      name: "m",
      owner: { name: "o" },
      description: "d",
      plugins: ["./plugins/a", "./linked/a", "./escape/a", "./plugins/a/commands/run.md", "./plugins/none"].map((source, i) => ({ name: `p${i}`, source })),
    });
    const root = tree({ "m/.claude-plugin/marketplace.json": market, "m/plugins/a/.claude-plugin/plugin.json": manifest, "m/plugins/a/commands/run.md": command, "outside/a/.claude-plugin/plugin.json": manifest });
    symlinkSync(join(root, "m/plugins"), join(root, "m/linked"));
    symlinkSync(join(root, "outside"), join(root, "m/escape"));
    const findings = validatePath(join(root, "m")).findings;
    expect(findings.map((f) => `${f.path} ${f.code}`)).toEqual([
      "plugins[2].source symlink-escape",
      "plugins[3].source source-invalid",
      "plugins[4].source source-missing",
    ]);
    expect(findings[0]!.message).toContain(`is a symlink to ${join(realpathSync(root), "outside/a")}`);
  });
});
