import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLspTool } from "../../host/lsp/lsp-tool.js";
import type { HostTool } from "../../host/tools/host-tool.js";
import { requireTool } from "../support/real-parts.js";
import { loadPlugin, makeArea } from "./loaded-plugin-fixture.js";

const languageServer = join(process.cwd(), "node_modules/.bin/typescript-language-server");

describe("the LSP tool with typescript-language-server (a real language server under bubblewrap)", () => {
  const area = makeArea("agent-lsp-");
  let lsp: ReturnType<typeof createLspTool>;
  let tool: HostTool;
  const call = (input: Record<string, unknown>) => tool.call(input, { signal: new AbortController().signal });

  beforeAll(() => {
    requireTool("bwrap");
    writeFileSync(join(area.workspace, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "es2022", module: "nodenext" } }));
    writeFileSync(join(area.workspace, "math.ts"), "/** Adds two numbers. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n");
    writeFileSync(join(area.workspace, "main.ts"), 'import { add } from "./math.js";\n\nconst total: string = add(1, 2);\nconsole.log(total);\n');
    writeFileSync(join(area.workspace, "notes.md"), "# notes\n");
    const root = area.plugin("ts-lsp", {
      ".claude-plugin/plugin.json": JSON.stringify({ name: "ts-lsp", version: "1.0.0" }),
      ".lsp.json": JSON.stringify({
        typescript: { command: languageServer, args: ["--stdio"], extensionToLanguage: { ".ts": "typescript", ".tsx": "typescriptreact" },
          startupTimeout: 30000,
          // answers come from the full project, never from the syntax-only server that stands in while it loads
          initializationOptions: { tsserver: { useSyntaxServer: "never" } },
        },
      }),
    });
    lsp = createLspTool([loadPlugin(root, area.dataDir("ts-lsp"))], area.env);
    tool = lsp!.tool;
  });

  afterAll(async () => {
    await lsp?.close();
    area.remove();
  });

  it("is absent when no plugin brings a language server", () => {
    expect(createLspTool([], area.env)).toBeUndefined();
    expect(tool.name).toBe("LSP");
    expect(tool.description).toContain(".ts, .tsx");
  });

  it("diagnostics: the type error of a real file, with line, column and code", async () => {
    const result = await call({ operation: "diagnostics", file_path: join(area.workspace, "main.ts") });
    expect(result.isError).toBeUndefined();
    expect(result.content).toMatch(/^main\.ts:3:7: error: Type 'number' is not assignable to type 'string'\. \[typescript 2322\]$/);
  });

  it("hover: the signature and doc comment of the symbol under the cursor", async () => {
    const result = await call({ operation: "hover", file_path: "main.ts", line: 3, character: 23 });
    expect(result.content).toMatch(/^```typescript\n\(alias\) add\(a: number, b: number\): number\n/);
    expect(result.content).toContain("Adds two numbers.");
  });

  it("definition: where the symbol is declared, across files", async () => {
    expect(await call({ operation: "definition", file_path: "main.ts", line: 3, character: 23 })).toEqual({ content: "math.ts:2:17" });
  });

  it("diagnostics follow the file on disk after it changes", async () => {
    writeFileSync(join(area.workspace, "main.ts"), 'import { add } from "./math.js";\n\nconst total: number = add(1, 2);\nconsole.log(total);\n');
    expect(await call({ operation: "diagnostics", file_path: "main.ts" })).toEqual({ content: "No diagnostics for main.ts" });
  });

  it("refuses files no server handles, files outside the workspace, and positions that are missing", async () => {
    expect(await call({ operation: "hover", file_path: "notes.md", line: 1, character: 1 })).toMatchObject({ isError: true, content: expect.stringContaining("No language server handles .md") });
    expect(await call({ operation: "diagnostics", file_path: join(area.base, "elsewhere.ts") })).toMatchObject({ isError: true, content: expect.stringContaining("outside the workspace") });
    expect(await call({ operation: "hover", file_path: "main.ts" })).toMatchObject({ isError: true, content: "hover needs line and character (1-based)" });
  });

  it("a language server that cannot start is an error result naming the plugin, with a hint", async () => {
    const root = area.plugin("broken-lsp", {
      ".claude-plugin/plugin.json": JSON.stringify({ name: "broken-lsp", version: "1.0.0" }),
      ".lsp.json": JSON.stringify({ go: { command: "gopls-not-installed", extensionToLanguage: { ".go": "go" } } }),
    });
    writeFileSync(join(area.workspace, "main.go"), "package main\n");
    const broken = createLspTool([loadPlugin(root, area.dataDir("broken-lsp"))], area.env)!;
    try {
      const result = await broken.tool.call({ operation: "diagnostics", file_path: "main.go" }, { signal: new AbortController().signal });
      expect(result.isError).toBe(true);
      expect(result.content).toContain('broken-lsp@test-market: LSP server "go" did not start');
      expect(result.content).toContain("Check that `gopls-not-installed` is installed and on PATH");
    } finally {
      await broken.close();
    }
  });
});
