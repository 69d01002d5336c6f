import { spawn } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "./work-dir.js";

afterEach(removeWorkDirs);

describe("agent plugin init", () => {
  it("scaffolds every part and the real validator passes it clean, even with --strict", async () => {
    const cwd = workDir();
    const init = await agent(["plugin", "init", "demo-kit", "--with", "skills,agents,commands,hooks,mcp,lsp", "--json"], { cwd });
    expect(init.status).toBe(0);
    const created = init.json();
    expect(created.dir).toBe(join(cwd, "demo-kit"));
    expect(created.files).toEqual(expect.arrayContaining([".claude-plugin/plugin.json", "skills/hello/SKILL.md", "agents/reviewer.md", "commands/hello.md", "hooks/hooks.json", ".mcp.json", ".lsp.json"]));
    expect(statSync(join(cwd, "demo-kit", "hooks", "session-start.sh")).mode & 0o111).not.toBe(0);
    const validate = await agent(["plugin", "validate", "demo-kit", "--strict", "--json"], { cwd });
    expect(validate.status).toBe(0);
    expect(validate.json()).toMatchObject({ kind: "plugin", ok: true, errors: 0, warnings: 0, findings: [] });
  });

  it("makes a skills-only plugin by default, in --dir, that validates clean", async () => {
    const cwd = workDir();
    const init = await agent(["plugin", "init", "solo", "--dir", "plugins/solo"], { cwd });
    expect(init.status).toBe(0);
    expect(init.stdout).toContain("skills/hello/SKILL.md");
    expect(init.stdout).not.toContain(".mcp.json");
    const validate = await agent(["plugin", "validate", join(cwd, "plugins", "solo"), "--strict"], { cwd });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain("Validation passed");
  });

  it("the scaffolded MCP server answers initialize and tools/call over stdio", async () => {
    const cwd = workDir();
    await agent(["plugin", "init", "mcp-kit", "--with", "mcp"], { cwd });
    const child = spawn(process.execPath, [join(cwd, "mcp-kit", "mcp", "server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
    const replies: unknown[] = [];
    let buffer = "";
    const done = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        replies.push(...lines.map((l) => JSON.parse(l)));
        if (replies.length === 2) resolve();
      });
    });
    child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18" } }) + "\n");
    child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
    child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } }) + "\n");
    await done;
    child.kill();
    expect(replies).toEqual([
      { jsonrpc: "2.0", id: 1, result: expect.objectContaining({ serverInfo: { name: "mcp-kit", version: "0.1.0" } }) },
      { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "hi" }] } },
    ]);
  });

  it("refuses a non-empty directory, a name that is not kebab-case and an unknown part, writing nothing", async () => {
    const cwd = workDir();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", "keep.txt"), "mine");
    const taken = await agent(["plugin", "init", "taken", "--json"], { cwd });
    expect(taken.status).toBe(5);
    expect(taken.json().error.code).toBe("E_ALREADY_EXISTS");
    const badName = await agent(["plugin", "init", "My Plugin", "--json"], { cwd });
    expect(badName.status).toBe(2);
    expect(badName.json().error).toMatchObject({ code: "E_USAGE", hint: "agent plugin init my-plugin" });
    const badPart = await agent(["plugin", "init", "ok-name", "--with", "skills,themes", "--json"], { cwd });
    expect(badPart.json().error.code).toBe("E_USAGE");
    expect(() => statSync(join(cwd, "ok-name"))).toThrow();
  });
});
