import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "../../registry/files/async-fs.js";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { extractTarball } from "../../registry/archive/extract-tarball.js";
import { bundleManifestSchema, type BundleManifest } from "../../schemas/bundle.js";
import { AgentError } from "../../schemas/errors.js";
import { formatZodIssues } from "../../schemas/format-issues.js";
import type { CatalogMarketplace } from "../catalog/catalog-types.js";
import { readMarketplaceAt } from "../catalog/read-marketplace.js";
import { installPlugins, type InstallOptions, type InstallResult } from "../install/install-plugins.js";
import type { StateContext } from "../state-context.js";

export interface BundleInstallResult extends InstallResult {
  bundle: { file: string; integrity: string; plugins: number };
}

/**
 * `agent plugin install ./plugins.tgz`: unpacks the bundle safely into a temp dir, lays its
 * marketplaces over the known ones of the same name, and runs the normal install of its root plugins
 * with no network: every source is a directory inside the bundle, and every staged plugin must match
 * the tree integrity the bundle recorded. Policy is checked against each marketplace's original source.
 */
export async function installBundle(ctx: StateContext, file: string, options: Omit<InstallOptions, "specs">): Promise<BundleInstallResult> {
  const path = resolve(ctx.cwd, file);
  const data = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new AgentError("E_NOT_FOUND", `Bundle ${path} cannot be read: ${error.code ?? error.message}`, { hint: "Check the path of the .tgz made by `agent plugin bundle`.", details: { file: path } });
  });
  const integrity = `sha512-${createHash("sha512").update(data).digest("base64")}`;
  const scratch = await mkdtemp(join(tmpdir(), "agent-bundle-install-"));
  try {
    const root = join(scratch, "bundle");
    await extractTarball(data, root, { what: `bundle ${path}`, strip: 1, env: ctx.env });
    const manifest = await readBundleManifest(root, path);
    const overlay: CatalogMarketplace[] = await Promise.all(
      Object.entries(manifest.marketplaces).map(async ([name, origin]) => {
        const { manifest: market, pluginRoot } = await readMarketplaceAt(join(root, "marketplaces", name));
        return { name, source: origin.source, manifest: market, pluginRoot, builtin: false, ...(origin.commit ? { commit: origin.commit } : {}) };
      }),
    );
    options.log(`Installing from bundle ${path} (${manifest.plugins.length} plugins, ${integrity.slice(0, 20)}…)`);
    const result = await installPlugins(ctx, {
      ...options,
      specs: manifest.roots,
      catalogOverlay: overlay,
      expectedIntegrity: Object.fromEntries(manifest.plugins.map((p) => [p.id, p.integrity])),
    });
    return { ...result, bundle: { file: path, integrity, plugins: manifest.plugins.length } };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readBundleManifest(root: string, file: string): Promise<BundleManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(root, "bundle.json"), "utf8"));
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${file} is not an agent plugin bundle: bundle.json ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "is missing" : "is not JSON"}`, {
      hint: "Make bundles with `agent plugin bundle <id…> -o plugins.tgz`.",
      details: { file },
    });
  }
  const parsed = bundleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AgentError("E_INVALID_MANIFEST", `${file} has an invalid bundle.json: ${formatZodIssues(parsed.error.issues).join("; ")}`, { hint: "Make the bundle again with `agent plugin bundle`.", details: { file } });
  }
  return parsed.data;
}
