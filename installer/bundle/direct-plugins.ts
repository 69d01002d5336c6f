import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { readPluginManifest } from "../../registry/plugin/read-plugin-manifest.js";
import { AgentError } from "../../schemas/errors.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import type { CatalogMarketplace } from "../catalog/catalog-types.js";

/**
 * Marketplace names of direct installs (as GitHub Copilot CLI accepts them): `local` for a plugin
 * directory, `github` for owner/repo and owner/repo:path, `git` for a git URL. The plugin's id is
 * `<name>@<one of these>`; the name is plugin.json's for a directory, else the repository's (or the
 * path's) last segment.
 */
export const directMarketplaceNames = { local: "local", github: "github", git: "git" } as const;

const ownerRepo = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?(?::(.+))?$/;
const gitUrl = /^(?:https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|[\w.-]+@[\w.-]+:).+|\.git$/;

/**
 * Turns direct install arguments into plugin ids plus the one-entry marketplaces that list them, so the
 * normal install path (policy on the source, fetch, cache, state) does the rest. Other arguments
 * (name, name@market) pass through unchanged.
 */
export async function directPlugins(specs: string[], cwd: string): Promise<{ specs: string[]; overlay: CatalogMarketplace[] }> {
  const markets = new Map<string, CatalogMarketplace>();
  const out: string[] = [];
  for (const spec of specs) {
    const direct = await directEntry(spec, cwd);
    if (!direct) {
      out.push(spec);
      continue;
    }
    const existing = markets.get(direct.market);
    if (existing) existing.manifest.plugins.push(direct.entry);
    else markets.set(direct.market, { name: direct.market, source: direct.source, manifest: { name: direct.market, owner: { name: "direct install" }, plugins: [direct.entry] } as CatalogMarketplace["manifest"], pluginRoot: direct.pluginRoot, builtin: false });
    out.push(`${direct.entry.name}@${direct.market}`);
  }
  return { specs: out, overlay: [...markets.values()] };
}

interface DirectEntry {
  market: string;
  source: MarketplaceSource;
  entry: MarketplaceEntry;
  pluginRoot: string | undefined;
}

async function directEntry(spec: string, cwd: string): Promise<DirectEntry | undefined> {
  const path = resolve(cwd, spec);
  const looksLikePath = /^(\.{1,2}\/|\/|~)/.test(spec);
  if (looksLikePath || (spec.includes("/") && (await isDirectory(path)))) {
    if (!(await isDirectory(path))) throw new AgentError("E_NOT_FOUND", `Path does not exist: ${path}`, { hint: "Give the directory that holds .claude-plugin/plugin.json.", details: { path } });
    const read = readPluginManifest(path);
    if (read.status !== "ok") {
      throw new AgentError("E_INVALID_MANIFEST", `${path} has no valid plugin manifest`, { hint: `agent plugin validate ${path}`, details: { path } });
    }
    // a one-plugin marketplace rooted at the plugin itself: the relative source "./" is the plugin
    return { market: directMarketplaceNames.local, source: { source: "directory", path }, entry: { name: read.manifest.name, source: "./" } as MarketplaceEntry, pluginRoot: path };
  }
  if (gitUrl.test(spec)) {
    const name = basename(spec.replace(/\/+$/, "")).replace(/\.git$/, "");
    return { market: directMarketplaceNames.git, source: { source: "git", url: spec }, entry: { name, source: { source: "url", url: spec } } as MarketplaceEntry, pluginRoot: undefined };
  }
  const github = ownerRepo.exec(spec);
  if (github && !spec.includes("@")) {
    const [, repo, subdir] = github;
    const name = basename(subdir ? subdir.replace(/\/+$/, "") : repo!);
    const source = subdir ? { source: "git-subdir" as const, url: repo!, path: subdir } : { source: "github" as const, repo: repo! };
    return { market: directMarketplaceNames.github, source: { source: "github", repo: repo! }, entry: { name, source } as MarketplaceEntry, pluginRoot: undefined };
  }
  return undefined;
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
