import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpServers, type McpSession } from "../../host/mcp/start-mcp-servers.js";
import { requireTool } from "../support/real-parts.js";
import { loadPlugin, makeArea } from "./loaded-plugin-fixture.js";

const coreToolsRoot = join(process.cwd(), "fixtures/marketplaces/agent-builtin/plugins/core-tools");

describe("the core-tools plugin (a real MCP server under bubblewrap)", () => {
  const area = makeArea("agent-core-tools-");
  let session: McpSession;
  const ctx = () => ({ signal: new AbortController().signal });
  const call = async (name: string, input: Record<string, unknown>) => {
    const tool = session.tools.find((t) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    return tool.call(input, ctx());
  };

  beforeAll(async () => {
    requireTool("bwrap");
    mkdirSync(join(area.workspace, "src/lib"), { recursive: true });
    writeFileSync(join(area.workspace, "src/app.ts"), "export const greeting = 'hello';\nexport const target = 'world';\n");
    writeFileSync(join(area.workspace, "src/lib/util.ts"), "export function shout(s: string) {\n  return s.toUpperCase();\n}\n");
    writeFileSync(join(area.workspace, "README.md"), "# Demo\nHello there\n");
    session = await startMcpServers([loadPlugin(coreToolsRoot, area.dataDir("core-tools"), { marketplace: "agent-builtin" })], area.env);
  });

  afterAll(async () => {
    await session?.close();
    area.remove();
  });

  it("offers the six tools by bare name and by MCP name, with Claude Code's input schemas", () => {
    const names = session.tools.map((t) => t.name);
    for (const bare of ["Read", "Write", "Edit", "Bash", "Glob", "Grep"]) {
      expect(names).toContain(bare);
      expect(names).toContain(`mcp__plugin_core-tools_core-tools__${bare}`);
    }
    const schema = (name: string) => session.tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema("Read").properties)).toEqual(["file_path", "offset", "limit"]);
    expect(schema("Write").required).toEqual(["file_path", "content"]);
    expect(Object.keys(schema("Edit").properties)).toEqual(["file_path", "old_string", "new_string", "replace_all"]);
    expect(schema("Bash").required).toEqual(["command"]);
    expect(Object.keys(schema("Glob").properties)).toEqual(["pattern", "path"]);
    expect(Object.keys(schema("Grep").properties)).toEqual(expect.arrayContaining(["pattern", "path", "glob", "output_mode", "-i", "-n", "-A", "-B", "-C", "head_limit"]));
  });

  it("Read numbers lines like cat -n and honours offset and limit", async () => {
    const file = join(area.workspace, "src/lib/util.ts");
    expect((await call("Read", { file_path: file })).content).toBe("     1\texport function shout(s: string) {\n     2\t  return s.toUpperCase();\n     3\t}");
    expect((await call("Read", { file_path: file, offset: 2, limit: 1 })).content).toBe("     2\t  return s.toUpperCase();");
    expect(await call("Read", { file_path: join(area.workspace, "missing.txt") })).toMatchObject({ isError: true });
  });

  it("Edit changes a real file in the workspace, and refuses an ambiguous match", async () => {
    const file = join(area.workspace, "src/app.ts");
    expect(await call("Edit", { file_path: file, old_string: "'world'", new_string: "'agent'" })).toEqual({ content: `The file ${file} has been updated.` });
    expect(readFileSync(file, "utf8")).toBe("export const greeting = 'hello';\nexport const target = 'agent';\n");
    const ambiguous = await call("Edit", { file_path: file, old_string: "export const", new_string: "const" });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.content).toContain("Found 2 matches");
    expect(await call("mcp__plugin_core-tools_core-tools__Edit", { file_path: file, old_string: "export const", new_string: "const", replace_all: true })).toMatchObject({ content: expect.stringContaining("All 2 occurrences") });
    expect(readFileSync(file, "utf8")).toBe("const greeting = 'hello';\nconst target = 'agent';\n");
  });

  it("Write creates files (and parent dirs) in the workspace", async () => {
    const file = join(area.workspace, "out/new/notes.txt");
    expect((await call("Write", { file_path: file, content: "first\n" })).content).toBe(`File created successfully at: ${file}`);
    expect(readFileSync(file, "utf8")).toBe("first\n");
  });

  it("Bash runs in the workspace: echo, exit codes and timeouts", async () => {
    expect(await call("Bash", { command: "echo hello from bash; pwd", description: "say hello" })).toEqual({ content: `hello from bash\n${area.workspace}` });
    expect(await call("Bash", { command: "echo oops >&2; exit 3" })).toEqual({ content: "oops\nExit code 3", isError: true });
    expect(await call("Bash", { command: "sleep 5", timeout: 300 })).toMatchObject({ isError: true, content: expect.stringContaining("timed out after 300 ms") });
  });

  it("Bash is confined: outside the workspace the file system is read-only and host temp files are gone", async () => {
    writeFileSync(join(area.base, "host-only.txt"), "secret");
    const write = await call("Bash", { command: `touch ${join(area.base, "escaped.txt")} /usr/escaped.txt` });
    expect(write.isError).toBe(true);
    expect(existsSync(join(area.base, "escaped.txt"))).toBe(false);
    expect((await call("Bash", { command: `cat ${join(area.base, "host-only.txt")}` })).isError).toBe(true);
  });

  it("aborting a call cancels it: the Bash command is killed", async () => {
    const controller = new AbortController();
    const bash = session.tools.find((t) => t.name === "Bash")!;
    const running = bash.call({ command: "sleep 37.25" }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).toContain("sleep 37.25");
    controller.abort();
    await expect(running).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain("sleep 37.25");
  });

  it("many calls under one session signal leave no listeners behind (no MaxListenersExceededWarning)", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    const signal = new AbortController().signal;
    const read = session.tools.find((t) => t.name === "Read")!;
    for (let i = 0; i < 15; i++) expect((await read.call({ file_path: join(area.workspace, "README.md") }, { signal })).content).toContain("# Demo");
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("Glob lists matching files, newest first", async () => {
    writeFileSync(join(area.workspace, "src/lib/newest.ts"), "export {};\n");
    const result = await call("Glob", { pattern: "src/**/*.ts" });
    expect(result.content.split("\n")[0]).toBe(join(area.workspace, "src/lib/newest.ts"));
    expect(result.content.split("\n").sort()).toEqual([join(area.workspace, "src/app.ts"), join(area.workspace, "src/lib/newest.ts"), join(area.workspace, "src/lib/util.ts")].sort());
    expect((await call("Glob", { pattern: "*.md" })).content).toBe(join(area.workspace, "README.md"));
  });

  it("Grep finds files, lines with numbers and context, counts, case-insensitively and by glob", async () => {
    expect((await call("Grep", { pattern: "toUpperCase" })).content).toBe(`Found 1 file\n${join(area.workspace, "src/lib/util.ts")}`);
    expect((await call("Grep", { pattern: "HELLO", "-i": true, glob: "*.md", output_mode: "content" })).content).toBe(`${join(area.workspace, "README.md")}:2:Hello there`);
    expect((await call("Grep", { pattern: "return", output_mode: "content", "-B": 1 })).content).toBe(
      `${join(area.workspace, "src/lib/util.ts")}:1-export function shout(s: string) {\n${join(area.workspace, "src/lib/util.ts")}:2:  return s.toUpperCase();`,
    );
    expect((await call("Grep", { pattern: "const", output_mode: "count", type: "ts" })).content).toBe(`${join(area.workspace, "src/app.ts")}:2`);
    expect((await call("Grep", { pattern: "nothing-like-this" })).content).toBe("No files found");
    mkdirSync(join(area.workspace, "node_modules/dep"), { recursive: true });
    writeFileSync(join(area.workspace, "node_modules/dep/index.js"), "toUpperCase\n");
    expect((await call("Grep", { pattern: "toUpperCase" })).content).toBe(`Found 1 file\n${join(area.workspace, "src/lib/util.ts")}`);
    expect((await call("Grep", { pattern: "toUpperCase", path: "node_modules/dep" })).content).toBe(`Found 1 file\n${join(area.workspace, "node_modules/dep/index.js")}`);
  });
});
