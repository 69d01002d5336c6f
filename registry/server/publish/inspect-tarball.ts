import { mkdir, mkdtemp, readFile, rm, writeFile } from "../../files/async-fs.js";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Parser, type ReadEntry } from "tar";
import { AgentError } from "../../../schemas/errors.js";
import { validatePath } from "../../validate/validate-path.js";

export interface PluginFacts {
  name: string;
  description?: string;
  version?: string;
  author?: unknown;
  keywords?: string[];
  homepage?: string;
  license?: string;
  category?: string;
}

export interface TarballFacts {
  fileCount: number;
  unpackedSize: number;
  packageJson: Record<string, unknown>;
  plugin: PluginFacts;
}

const maxEntries = 20_000;
const maxUnpackedBytes = 200 * 1024 * 1024;
const fileTypes = new Set(["File", "OldFile", "ContiguousFile"]);

/**
 * Reads a publish tarball without trusting it: every entry must be a plain file or directory under
 * package/ (no links, devices, absolute paths or ".."), then the unpacked tree must validate as a
 * Claude Code plugin without errors.
 */
export async function inspectPluginTarball(bytes: Uint8Array): Promise<TarballFacts> {
  const files = await readEntries(bytes);
  const work = await mkdtemp(join(tmpdir(), "agent-registry-publish-"));
  try {
    for (const [path, data] of files) {
      const target = join(work, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    const packageJson = await readPackageJson(work);
    const report = validatePath(work);
    if (report.kind !== "plugin") {
      throw unsafe("E_INVALID_MANIFEST", "The package is not a Claude Code plugin: it has no .claude-plugin/plugin.json", "Run `agent plugin validate .` in the package before publishing.");
    }
    const errors = report.findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
      throw new AgentError("E_INVALID_MANIFEST", `The plugin does not validate: ${errors.map((f) => `${f.path}: ${f.message}`).join("; ")}`, {
        hint: "Run `agent plugin validate .` and fix the errors before publishing.",
        details: { findings: errors, status: 400 },
      });
    }
    const manifest = JSON.parse(await readFile(report.path, "utf8")) as Record<string, unknown>;
    const unpackedSize = [...files.values()].reduce((sum, data) => sum + data.length, 0);
    return { fileCount: files.size, unpackedSize, packageJson, plugin: pluginFacts(manifest, packageJson) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function readEntries(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    let total = 0;
    let failure: AgentError | undefined;
    const fail = (error: AgentError) => {
      failure ??= error;
    };
    const parser = new Parser({
      strict: true,
      onReadEntry(entry: ReadEntry) {
        const path = entry.path;
        const problem = entryProblem(path, entry.type);
        if (problem || failure) {
          if (problem) fail(unsafe("E_UNSAFE_ARCHIVE", `Tarball entry ${JSON.stringify(path)} ${problem}`, "Pack the plugin with `npm pack` or `agent plugin pack`."));
          entry.resume();
          return;
        }
        if (!fileTypes.has(entry.type)) return void entry.resume();
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxUnpackedBytes) fail(unsafe("E_TOO_LARGE", "The tarball unpacks to more than 200 MiB", "Publish a smaller package."));
          else chunks.push(chunk);
        });
        entry.on("end", () => {
          files.set(path.slice("package/".length), Buffer.concat(chunks));
          if (files.size > maxEntries) fail(unsafe("E_TOO_LARGE", `The tarball has more than ${maxEntries} files`, "Publish a smaller package."));
        });
      },
    });
    parser.on("error", (error: Error) => fail(unsafe("E_UNSAFE_ARCHIVE", `The attachment is not a valid gzip tarball: ${error.message}`, "Pack the plugin with `npm pack`.")));
    parser.on("end", () => {
      if (failure) reject(failure);
      else if (files.size === 0) reject(unsafe("E_UNSAFE_ARCHIVE", "The tarball holds no files under package/", "Pack the plugin with `npm pack`."));
      else resolve(files);
    });
    try {
      parser.end(Buffer.from(bytes));
    } catch (error) {
      reject(unsafe("E_UNSAFE_ARCHIVE", `The attachment is not a valid gzip tarball: ${(error as Error).message}`, "Pack the plugin with `npm pack`."));
    }
  });
}

function entryProblem(path: string, type: string): string | undefined {
  if (!fileTypes.has(type) && type !== "Directory") return `is a ${type}; only files and directories are allowed`;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.includes("\\")) return "has an absolute or Windows path";
  if (path.split("/").some((part) => part === "..")) return "escapes the package with ..";
  if (!path.startsWith("package/")) return "is outside package/";
  return undefined;
}

async function readPackageJson(dir: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(dir, "package.json"), "utf8").catch(() => undefined);
  if (text === undefined) throw unsafe("E_INVALID_MANIFEST", "The tarball has no package/package.json", "Pack the plugin with `npm pack`.");
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw unsafe("E_INVALID_MANIFEST", "package/package.json in the tarball is not valid JSON", "Fix package.json and pack again.");
  }
}

function pluginFacts(manifest: Record<string, unknown>, packageJson: Record<string, unknown>): PluginFacts {
  const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  const keywords = Array.isArray(manifest.keywords) ? manifest.keywords.filter((k): k is string => typeof k === "string") : undefined;
  const facts: PluginFacts = { name: text(manifest.name) ?? String(packageJson.name) };
  const optional = {
    description: text(manifest.description) ?? text(packageJson.description),
    version: text(manifest.version),
    author: manifest.author,
    keywords,
    homepage: text(manifest.homepage),
    license: text(manifest.license),
    category: text(manifest.category),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (facts as unknown as Record<string, unknown>)[key] = value;
  return facts;
}

function unsafe(code: "E_UNSAFE_ARCHIVE" | "E_INVALID_MANIFEST" | "E_TOO_LARGE", message: string, hint: string): AgentError {
  return new AgentError(code, message, { hint, details: { status: code === "E_TOO_LARGE" ? 413 : 400 } });
}
