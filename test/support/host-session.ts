import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach } from "vitest";
import type { HookRunner } from "../../host/engine/engine-session.js";
import type { SessionEvent } from "../../host/engine/session-events.js";
import { runSession } from "../../host/engine/run-session.js";
import { buildSession, type SessionOptions } from "../../host/session/build-session.js";
import type { LoadedPlugin } from "../../host/session/loaded-plugin.js";
import type { HostTool } from "../../host/tools/host-tool.js";
import { pluginInventory } from "../../registry/plugin/index.js";
import { startScriptedModel, type ScriptedModel } from "./scripted-model.js";

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Scripted models and temp dirs a test file starts, closed and removed after each test (latest first).
 * Call once at the top of the file.
 */
export function cleanUpAfterEach(): { dir(prefix: string): { path: string; cleanup(): void }; startModel(script: Parameters<typeof startScriptedModel>[0]): Promise<ScriptedModel> } {
  const undo: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });
  return {
    dir(prefix) {
      const made = tempDir(prefix);
      undo.push(made.cleanup);
      return made;
    },
    async startModel(script) {
      const model = await startScriptedModel(script);
      undo.push(() => model.close());
      return model;
    },
  };
}

/** Writes a plugin directory from a map of relative paths to contents and loads it as a session would. */
export function writePlugin(parent: string, name: string, files: Record<string, string>): LoadedPlugin {
  const root = join(parent, name);
  for (const [rel, text] of Object.entries({ ".claude-plugin/plugin.json": JSON.stringify({ name, version: "1.0.0" }), ...files })) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const manifest = JSON.parse(readFileSync(join(root, ".claude-plugin/plugin.json"), "utf8"));
  const dataDir = join(parent, "data", name);
  mkdirSync(dataDir, { recursive: true });
  return { id: `${name}@inline`, name, marketplace: "inline", root, dataDir, manifest, inventory: pluginInventory(root, manifest), config: {} };
}

/**
 * Small real file tools with Claude Code's names and inputs, for host tests that must not depend on the
 * core-tools MCP server: Read returns a file, Write writes one (both relative to the project).
 */
export function fileTools(projectDir: string): HostTool[] {
  const at = (p: unknown) => (isAbsolute(String(p)) ? String(p) : resolve(projectDir, String(p)));
  return [
    {
      name: "Read",
      description: "Read a file",
      inputSchema: { type: "object", properties: { file_path: { type: "string" } }, required: ["file_path"] },
      async call(input) {
        return { content: readFileSync(at(input.file_path), "utf8") };
      },
    },
    {
      name: "Write",
      description: "Write a file",
      inputSchema: { type: "object", properties: { file_path: { type: "string" }, content: { type: "string" } }, required: ["file_path", "content"] },
      async call(input) {
        writeFileSync(at(input.file_path), String(input.content));
        return { content: `wrote ${input.file_path}` };
      },
    },
  ];
}

/** A session with no hook handlers installed. */
export const noHooks: HookRunner = async () => ({ additionalContext: [], messages: [] });

export function testClient(url: string): Anthropic {
  return new Anthropic({ apiKey: "test-key", baseURL: url, maxRetries: 0, timeout: 20_000 });
}

/** Runs a session to the end and returns its events. */
export async function collect(options: Partial<SessionOptions> & Pick<SessionOptions, "client" | "env">, prompt: string, signal = new AbortController().signal): Promise<SessionEvent[]> {
  const { session } = buildSession({
    plugins: [],
    pluginTools: [],
    hooks: noHooks,
    model: "claude-test-1",
    maxTurns: 10,
    permissions: { mode: "allow" },
    ...options,
  });
  const events: SessionEvent[] = [];
  for await (const event of runSession(session, prompt, signal)) events.push(event);
  return events;
}
