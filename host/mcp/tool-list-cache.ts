import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { McpServer } from "../../schemas/mcp.js";
import type { LoadedPlugin } from "../session/loaded-plugin.js";

/** What a server's tools/list said: enough to offer its tools before it has started. */
export interface ListedTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

interface CacheFile {
  key: string;
  tools: ListedTool[];
}

/**
 * Tool lists of installed plugins' servers, remembered between sessions so the first model request
 * need not wait for every server to start. Keyed by everything that could change the list: the
 * plugin's version and root, the server config, the plugin's option values and the host variables
 * it may read. --plugin-dir plugins are never cached (their files change under development).
 */
export function toolCacheKey(plugin: LoadedPlugin, config: McpServer, hostEnv: NodeJS.ProcessEnv = process.env): string | undefined {
  if (plugin.marketplace === "inline") return undefined;
  const passed = Object.fromEntries((plugin.permissions?.env ?? []).map((name) => [name, hostEnv[name] ?? null]));
  return createHash("sha256").update(JSON.stringify([plugin.root, plugin.version ?? null, config, plugin.config, passed])).digest("hex");
}

function cacheFile(plugin: LoadedPlugin, server: string): string {
  return join(plugin.dataDir, ".agent-cache", `mcp-tools-${server.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
}

export function readToolCache(plugin: LoadedPlugin, server: string, key: string): ListedTool[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(cacheFile(plugin, server), "utf8")) as CacheFile;
    return parsed.key === key && Array.isArray(parsed.tools) ? parsed.tools : undefined;
  } catch {
    return undefined;
  }
}

export function writeToolCache(plugin: LoadedPlugin, server: string, key: string, tools: ListedTool[]): void {
  const file = cacheFile(plugin, server);
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify({ key, tools } satisfies CacheFile));
    renameSync(`${file}.tmp`, file);
  } catch {
    // a cache that cannot be written only costs the next session its head start
  }
}

export function sameToolLists(a: ListedTool[], b: ListedTool[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
