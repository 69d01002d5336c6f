import { join } from "node:path";
import type { z } from "zod";
import { asArray } from "../../schemas/component-path.js";
import { safeParseFast } from "../../schemas/fast-parse.js";
import { hooksFileSchema, type HooksMap } from "../../schemas/hooks.js";
import { lspFileSchema, type LspServer } from "../../schemas/lsp.js";
import { mcpFileSchema, mcpServersMapSchema, type McpServer } from "../../schemas/mcp.js";
import { monitorsFieldSchema, type monitorSchema, type PluginManifest } from "../../schemas/plugin-manifest.js";
import { issuesToFindings, type IssueDomain } from "./issue-findings.js";
import { readJsonFile, type JsonFileRead } from "./read-json-file.js";
import { addProblem, kindIn, relPath, resolveComponentPath, type ScanContext } from "./scan-context.js";

export type Monitor = z.infer<typeof monitorSchema>;

/** Where a config came from: "plugin.json" (inline) or the plugin-relative file ("hooks/hooks.json"). */
export interface HookSet {
  source: string;
  hooks: HooksMap;
}
export interface NamedConfig<C> {
  name: string;
  config: C;
  source: string;
}
/** An MCP bundle (.mcpb/.dxt file or https URL) named by the manifest; agent does not unpack these. */
export interface McpBundleRef {
  ref: string;
  source: string;
}

const breaksLoad = ". At runtime this breaks the entire plugin load.";

function parseConfigFile<S extends z.ZodType>(ctx: ScanContext, file: string, schema: S, domain: IssueDomain, read: JsonFileRead = readJsonFile(file)): z.infer<S> | undefined {
  const rel = relPath(ctx, file);
  if (!read.ok) {
    addProblem(ctx, "error", read.code, `${rel} → json`, read.message + (read.code === "manifest-json" ? breaksLoad : ""), { file });
    return undefined;
  }
  const parsed = safeParseFast(schema, read.value);
  if (!parsed.success) {
    ctx.problems.push(...issuesToFindings(parsed.error.issues, { domain, prefix: `${ctx.prefix}${rel} → `, file }));
    return undefined;
  }
  return parsed.data;
}

const fieldPath = (key: string, list: boolean, i: number) => (list ? `${key}[${i}]` : key);

/** hooks/hooks.json merged with the manifest's `hooks` (paths to hooks files, or inline event maps). */
export function collectHooks(ctx: ScanContext, manifest: PluginManifest): HookSet[] {
  const sets: HookSet[] = [];
  const fromFile = (file: string) => {
    const parsed = parseConfigFile(ctx, file, hooksFileSchema, "hooks-file");
    if (parsed) sets.push({ source: relPath(ctx, file), hooks: parsed.hooks });
  };
  const defaultFile = join(ctx.root, "hooks", "hooks.json");
  if (kindIn(ctx, defaultFile) === "file") fromFile(defaultFile);
  const list = Array.isArray(manifest.hooks);
  asArray(manifest.hooks).forEach((ref, i) => {
    if (typeof ref !== "string") return void sets.push({ source: "plugin.json", hooks: ref });
    const resolved = resolveComponentPath(ctx, ref, fieldPath("hooks", list, i));
    if (resolved?.kind === "file" && resolved.abs !== defaultFile) fromFile(resolved.abs);
  });
  return sets;
}

/** .mcp.json merged with the manifest's `mcpServers`. */
export function collectMcpServers(ctx: ScanContext, manifest: PluginManifest): { servers: NamedConfig<McpServer>[]; bundles: McpBundleRef[] } {
  const servers: NamedConfig<McpServer>[] = [];
  const bundles: McpBundleRef[] = [];
  const add = (map: Record<string, McpServer>, source: string) => addNamed(ctx, servers, map, source, "MCP server");
  const fromFile = (file: string) => {
    const read = readJsonFile(file);
    const wrapped = read.ok && typeof read.value === "object" && read.value !== null && "mcpServers" in read.value;
    const parsed = parseConfigFile(ctx, file, wrapped || !read.ok ? mcpFileSchema : mcpServersMapSchema, "mcp-file", read);
    if (parsed) add("mcpServers" in parsed && wrapped ? (parsed.mcpServers as Record<string, McpServer>) : (parsed as Record<string, McpServer>), relPath(ctx, file));
  };
  const defaultFile = join(ctx.root, ".mcp.json");
  if (kindIn(ctx, defaultFile) === "file") fromFile(defaultFile);
  const list = Array.isArray(manifest.mcpServers);
  asArray(manifest.mcpServers).forEach((ref, i) => {
    if (typeof ref !== "string") return add(ref, "plugin.json");
    if (ref.startsWith("https://")) return void bundles.push({ ref, source: "plugin.json" });
    const resolved = resolveComponentPath(ctx, ref, fieldPath("mcpServers", list, i));
    if (resolved?.kind !== "file") return;
    if (/\.(mcpb|dxt)$/.test(ref)) bundles.push({ ref: resolved.abs, source: "plugin.json" });
    else if (resolved.abs !== defaultFile) fromFile(resolved.abs);
  });
  return { servers, bundles };
}

/** .lsp.json merged with the manifest's `lspServers`. */
export function collectLspServers(ctx: ScanContext, manifest: PluginManifest): NamedConfig<LspServer>[] {
  const servers: NamedConfig<LspServer>[] = [];
  const fromFile = (file: string) => {
    const parsed = parseConfigFile(ctx, file, lspFileSchema, "lsp-file");
    if (parsed) addNamed(ctx, servers, parsed, relPath(ctx, file), "LSP server");
  };
  const defaultFile = join(ctx.root, ".lsp.json");
  if (kindIn(ctx, defaultFile) === "file") fromFile(defaultFile);
  const list = Array.isArray(manifest.lspServers);
  asArray(manifest.lspServers).forEach((ref, i) => {
    if (typeof ref !== "string") return addNamed(ctx, servers, ref, "plugin.json", "LSP server");
    const resolved = resolveComponentPath(ctx, ref, fieldPath("lspServers", list, i));
    if (resolved?.kind === "file" && resolved.abs !== defaultFile) fromFile(resolved.abs);
  });
  return servers;
}

/** monitors/monitors.json, or what `experimental.monitors` (or the deprecated top-level `monitors`) names instead. */
export function collectMonitors(ctx: ScanContext, manifest: PluginManifest): NamedConfig<Monitor>[] {
  const key = manifest.experimental?.monitors !== undefined ? "experimental.monitors" : "monitors";
  const field = manifest.experimental?.monitors ?? manifest.monitors;
  const defaultFile = join(ctx.root, "monitors", "monitors.json");
  let file: string | undefined;
  if (field === undefined) file = kindIn(ctx, defaultFile) === "file" ? defaultFile : undefined;
  else if (typeof field === "string") {
    file = resolveComponentPath(ctx, field, key)?.abs;
    if (file !== defaultFile && kindIn(ctx, defaultFile) === "file") ctx.notes.push(`Default monitors/ folder is ignored because the manifest sets "${key}"`);
  } else return field.map((m) => ({ name: m.name, config: m, source: "plugin.json" }));
  if (!file) return [];
  const parsed = parseConfigFile(ctx, file, monitorsFieldSchema, "monitors-file");
  if (parsed === undefined) return [];
  if (!Array.isArray(parsed)) {
    addProblem(ctx, "error", "monitor-invalid", relPath(ctx, file), "A monitors file must hold a JSON array of monitors", { file });
    return [];
  }
  return parsed.map((m) => ({ name: m.name, config: m, source: relPath(ctx, file) }));
}

function addNamed<C>(ctx: ScanContext, into: NamedConfig<C>[], map: Record<string, C>, source: string, what: string): void {
  for (const [name, config] of Object.entries(map)) {
    const earlier = into.findIndex((s) => s.name === name);
    if (earlier >= 0) {
      addProblem(ctx, "warning", what.startsWith("MCP") ? "mcp-invalid" : "lsp-invalid", source, `${what} "${name}" is declared in both ${into[earlier]!.source} and ${source}; the one in ${source} wins`);
      into.splice(earlier, 1);
    }
    into.push({ name, config, source });
  }
}
