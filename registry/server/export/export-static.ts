import { mkdir, rm } from "../../files/async-fs.js";
import { dirname, join } from "node:path";
import { AgentError } from "../../../schemas/errors.js";
import { buildMarketplace, listCatalogPlugins, npmSourceFor } from "../catalog/build-marketplace.js";
import { writeFileAtomic } from "../storage/atomic-file.js";
import type { Storage, VersionManifest } from "../storage/storage.js";

export interface ExportOptions {
  /** where the directory will be served from, e.g. https://mirror.example/plugins */
  baseUrl: string;
  marketplaceName: string;
}

export interface ExportResult {
  dir: string;
  baseUrl: string;
  packages: number;
  versions: number;
  plugins: number;
}

/**
 * Writes a registry mirror any static file host can serve:
 *   <dir>/marketplace.json            npm sources pointing at baseUrl
 *   <dir>/<name>                      full packument (scoped: <dir>/@scope/name)
 *   <dir>/-/tarballs/<name>/<file>    tarballs
 * npm, pacote and `agent plugin marketplace add <baseUrl>/marketplace.json` read it as a registry.
 */
export async function exportStatic(storage: Storage, dir: string, options: ExportOptions): Promise<ExportResult> {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new AgentError("E_USAGE", `--base-url ${options.baseUrl} is not a URL`, { hint: "e.g. --base-url https://mirror.example/plugins", details: {} });
  }
  const baseUrl = base.href.replace(/\/+$/, "");
  let versions = 0;
  const summaries = await storage.listPackages();
  for (const summary of summaries) {
    const stored = await storage.getPackument(summary.name);
    if (!stored) continue;
    const out: Record<string, VersionManifest> = {};
    for (const [version, manifest] of Object.entries(stored.packument.versions)) {
      const file = manifest.dist.tarball.slice(manifest.dist.tarball.lastIndexOf("/") + 1);
      const bytes = await storage.getTarball(summary.name, file);
      if (!bytes) continue;
      await writeFileAtomic(join(dir, "-", "tarballs", summary.name, file), bytes);
      out[version] = { ...manifest, dist: { ...manifest.dist, tarball: `${baseUrl}/-/tarballs/${summary.name}/${file}` } };
      versions += 1;
    }
    const packumentPath = join(dir, summary.name);
    await mkdir(dirname(packumentPath), { recursive: true });
    await rm(packumentPath, { recursive: true, force: true });
    await writeFileAtomic(packumentPath, JSON.stringify({ ...stored.packument, maintainers: summary.owners.map((name) => ({ name })), versions: out }));
  }
  const plugins = await listCatalogPlugins(storage);
  const marketplace = buildMarketplace(options.marketplaceName, plugins, npmSourceFor(baseUrl));
  await writeFileAtomic(join(dir, "marketplace.json"), JSON.stringify(marketplace, null, 2) + "\n");
  return { dir, baseUrl, packages: summaries.length, versions, plugins: plugins.length };
}
