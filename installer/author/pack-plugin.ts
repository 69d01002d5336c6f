import { existsSync } from "node:fs";
import { readFile } from "../../registry/files/async-fs.js";
import { join, resolve } from "node:path";
import { readPluginManifest } from "../../registry/plugin/read-plugin-manifest.js";
import { AgentError } from "../../schemas/errors.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import { collectFiles, npmPackList } from "../archive/collect-files.js";
import { packTarball, type PackedTarball, type PackFile } from "../archive/pack-tarball.js";

export interface PackedPlugin extends PackedTarball {
  /** npm package name and version (package.json's, else plugin.json's) */
  name: string;
  version: string;
  /** the plugin manifest as read */
  manifest: PluginManifest;
  /** package.json as packed (the plugin's own, or the one generated from plugin.json) */
  packageJson: Record<string, unknown>;
  packageJsonGenerated: boolean;
  /** packed paths, sorted, without the package/ prefix */
  files: string[];
  /** symlinks and special files left out, as npm pack does */
  skipped: string[];
}

/**
 * Packs a plugin directory as an npm package, byte-identical for identical contents, with the files
 * `npm pack` would pack (npm's rules: the `files` allowlist, .npmignore, else .gitignore). A plugin without a
 * package.json gets one in the tarball (not on disk), made from plugin.json: name, version,
 * description, keywords ["claude-code-plugin", …] and files. `exclude` keeps the output file out.
 */
export async function packPlugin(dir: string, options: { exclude?: string[] } = {}): Promise<PackedPlugin> {
  const root = resolve(dir);
  const manifest = readManifestForPack(root);
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(p)));
  const ownData = await readFile(join(root, "package.json")).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  const own = ownData && parsePackageJson(ownData, root);
  const { files, skipped } = await collectFiles(root, { exclude: excluded, only: await npmPackList(root, own ?? {}, !own) });
  if (!files.some((f) => f.path === ".claude-plugin/plugin.json")) {
    throw new AgentError("E_INVALID_MANIFEST", `The package would leave out .claude-plugin/plugin.json, so it would not be a plugin`, {
      hint: 'Add ".claude-plugin" to "files" in package.json, or stop ignoring it in .npmignore.',
      details: { dir: root },
    });
  }
  const packageJson = own ?? generatedPackageJson(manifest, files);
  const version = String(packageJson.version ?? "");
  if (manifest.version && version !== manifest.version) {
    throw new AgentError("E_INVALID_MANIFEST", `package.json has version ${version} but plugin.json has ${manifest.version}`, {
      hint: "Set the same version in both files, then pack again.",
      details: { dir: root, packageJson: version, pluginJson: manifest.version },
    });
  }
  if (!own) files.push({ path: "package.json", data: Buffer.from(`${JSON.stringify(packageJson, null, 2)}\n`), executable: false });
  const packed = packTarball(files);
  return {
    ...packed,
    name: String(packageJson.name),
    version,
    manifest,
    packageJson,
    packageJsonGenerated: !own,
    files: files.map((f) => f.path).sort(),
    skipped: skipped.sort(),
  };
}

/** `<name>-<version>.tgz`, `@scope/name` as `scope-name`, like npm pack. */
export function tarballFileName(name: string, version: string): string {
  return `${name.replace(/^@/, "").replace(/\//g, "-")}-${version}.tgz`;
}

function readManifestForPack(root: string): PluginManifest {
  const read = readPluginManifest(root);
  if (read.status === "ok") {
    if (!read.manifest.version && !existsSync(join(root, "package.json"))) {
      throw new AgentError("E_INVALID_MANIFEST", `${read.file} has no "version"; a package needs one`, {
        hint: 'Add "version": "1.0.0" to plugin.json.',
        details: { file: read.file },
      });
    }
    return read.manifest;
  }
  if (read.status === "absent") {
    throw new AgentError("E_INVALID_MANIFEST", `${root} has no .claude-plugin/plugin.json`, { hint: "Create one with `agent plugin init <name>`, or pack the plugin's own directory.", details: { dir: root } });
  }
  throw new AgentError("E_INVALID_MANIFEST", `${read.file} is not a valid plugin manifest: ${read.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`, {
    hint: `agent plugin validate ${root}`,
    details: { file: read.file, findings: read.problems },
  });
}

function parsePackageJson(data: Buffer, root: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${join(root, "package.json")} is not valid JSON: ${(error as Error).message}`, { hint: "Fix package.json, or delete it to have one generated from plugin.json.", details: { dir: root } });
  }
  const pkg = parsed as Record<string, unknown>;
  if (typeof pkg !== "object" || pkg === null || typeof pkg.name !== "string" || typeof pkg.version !== "string") {
    throw new AgentError("E_INVALID_MANIFEST", `${join(root, "package.json")} needs a string "name" and "version"`, { hint: "Fix package.json, or delete it to have one generated from plugin.json.", details: { dir: root } });
  }
  return pkg;
}

function generatedPackageJson(manifest: PluginManifest, files: PackFile[]): Record<string, unknown> {
  const topLevel = [...new Set(files.map((f) => f.path.split("/")[0]!))].sort();
  return {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.description ? { description: manifest.description } : {}),
    keywords: ["claude-code-plugin", ...(manifest.keywords ?? []).filter((k) => k !== "claude-code-plugin")],
    ...(manifest.license ? { license: manifest.license } : {}),
    files: topLevel,
  };
}
