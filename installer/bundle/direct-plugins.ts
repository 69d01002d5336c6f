import { stat } from "../../registry/files/async-fs.js";
import { basename, resolve } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import type { DirectSource } from "../../schemas/installed-plugins.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import type { MarketplaceEntry } from "../../schemas/marketplace.js";
import { formatPluginId } from "../../schemas/names.js";
import type { CatalogMarketplace, CatalogPlugin } from "../catalog/catalog-types.js";
import { sameDirectSource, describeDirectSource } from "./direct-source.js";

/**
 * Marketplace names of direct installs (as GitHub Copilot CLI accepts them): `local` for a plugin
 * directory, `github` for owner/repo and owner/repo:path, `git` for a git URL. A GitHub or git source may
 * name a branch, tag or commit after `#` (npm's way; `owner/repo@ref` too, as marketplace add takes it).
 * The plugin's id is `<name>@<one of these>`; the name is plugin.json's for a directory, else the
 * repository's (or the path's) last segment.
 */
export const directMarketplaceNames = { directory: "local", github: "github", git: "git" } as const satisfies Record<DirectSource["source"], string>;

const ownerRepo = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?(?::([^#@]+))?(?:[#@](.+))?$/;
const gitUrl = /^(?:https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|[\w.-]+@[\w.-]+:).+|\.git$/;

/**
 * Turns direct install arguments into plugin ids plus the plugins they stand for, each in a one-plugin
 * marketplace of its own, so the normal install path (policy on the source, fetch, cache, state) does the
 * rest and records where it came from. Other arguments (name, name@market) pass through unchanged. Two
 * arguments that make the same id from different places are E_ALREADY_EXISTS.
 */
export async function directPlugins(specs: string[], cwd: string): Promise<{ specs: string[]; plugins: CatalogPlugin[] }> {
  const plugins = new Map<string, CatalogPlugin>();
  const out: string[] = [];
  for (const spec of specs) {
    const found = await parseDirectSpec(spec, cwd);
    if (!found) {
      out.push(spec);
      continue;
    }
    const plugin = directPlugin(found.name, found.source);
    const earlier = plugins.get(plugin.id);
    if (earlier && !sameDirectSource(earlier.marketplace.direct!, found.source)) throw directCollision(plugin.id, earlier.marketplace.direct!, found.source);
    plugins.set(plugin.id, plugin);
    out.push(plugin.id);
  }
  return { specs: out, plugins: [...plugins.values()] };
}

/** What an install argument names, when it is a directory, owner/repo[:path] or git URL; undefined otherwise. */
export async function parseDirectSpec(spec: string, cwd: string): Promise<{ name: string; source: DirectSource } | undefined> {
  const path = resolve(cwd, spec);
  const looksLikePath = /^(\.{1,2}\/|\/|~)/.test(spec) || spec === "." || spec === "..";
  if (looksLikePath || (spec.includes("/") && (await isDirectory(path)))) {
    if (!(await isDirectory(path))) throw new AgentError("E_NOT_FOUND", `Path does not exist: ${path}`, { hint: "Give the directory that holds .claude-plugin/plugin.json.", details: { path } });
    // loaded here: it checks the whole manifest with zod, which installs from a marketplace never load
    const { readPluginManifest } = await import("../../registry/plugin/read-plugin-manifest.js");
    const read = readPluginManifest(path);
    if (read.status !== "ok") {
      throw new AgentError("E_INVALID_MANIFEST", `${path} has no valid plugin manifest`, { hint: `agent plugin validate ${path}`, details: { path } });
    }
    return { name: read.manifest.name, source: { source: "directory", path } };
  }
  if (gitUrl.test(spec)) {
    const [url, ref] = splitRef(spec);
    return { name: basename(url.replace(/\/+$/, "")).replace(/\.git$/, ""), source: { source: "git", url, ...(ref ? { ref } : {}) } };
  }
  const github = ownerRepo.exec(spec);
  if (github) {
    const [, repo, subdir, ref] = github;
    const path = subdir?.replace(/^\/+|\/+$/g, "");
    return { name: basename(path || repo!), source: { source: "github", repo: repo!, ...(path ? { path } : {}), ...(ref ? { ref } : {}) } };
  }
  return undefined;
}

/**
 * The catalog plugin a direct source stands for, in a one-plugin marketplace of its own (a directory is
 * its own plugin root, so two local plugins never share one). Pure: no I/O, so installed direct plugins
 * are rebuilt from their records' directSource for update, reinstall and dependency resolution.
 */
export function directPlugin(name: string, direct: DirectSource): CatalogPlugin {
  const market = directMarketplaceNames[direct.source];
  const { source, entrySource, pluginRoot } = directOrigin(direct);
  const entry = { name, source: entrySource } as MarketplaceEntry;
  const marketplace: CatalogMarketplace = {
    name: market,
    source,
    manifest: { name: market, owner: { name: "direct install" }, plugins: [entry] } as CatalogMarketplace["manifest"],
    pluginRoot,
    builtin: false,
    direct,
  };
  return { id: formatPluginId(name, market), name, marketplace, entry };
}

function directOrigin(direct: DirectSource): { source: MarketplaceSource; entrySource: MarketplaceEntry["source"]; pluginRoot: string | undefined } {
  switch (direct.source) {
    case "directory":
      // the relative source "./" is the plugin directory itself
      return { source: { source: "directory", path: direct.path }, entrySource: "./", pluginRoot: direct.path };
    case "github": {
      const ref = direct.ref ? { ref: direct.ref } : {};
      return {
        source: { source: "github", repo: direct.repo },
        entrySource: direct.path ? { source: "git-subdir", url: direct.repo, path: direct.path, ...ref } : { source: "github", repo: direct.repo, ...ref },
        pluginRoot: undefined,
      } as ReturnType<typeof directOrigin>;
    }
    case "git":
      return { source: { source: "git", url: direct.url }, entrySource: { source: "url", url: direct.url, ...(direct.ref ? { ref: direct.ref } : {}) }, pluginRoot: undefined } as ReturnType<typeof directOrigin>;
  }
}

/** The same id from a second place: refused, naming both, rather than one silently replacing the other. */
export function directCollision(id: string, existing: DirectSource | undefined, requested: DirectSource): AgentError {
  const from = existing ? describeDirectSource(existing) : `marketplace "${id.slice(id.lastIndexOf("@") + 1)}"`;
  return new AgentError("E_ALREADY_EXISTS", `Plugin "${id}" is already installed from ${from}; ${describeDirectSource(requested)} would install a different plugin under the same id`, {
    hint: `Uninstall the first one (agent plugin uninstall ${id}), or give the plugin another name in its plugin.json.`,
    details: { id, installedFrom: existing ?? from, requested },
  });
}

/** `url#ref` (npm's way of naming a branch, tag or commit of a git URL) → [url, ref]. */
function splitRef(spec: string): [string, string | undefined] {
  const hash = spec.lastIndexOf("#");
  return hash > 0 && hash < spec.length - 1 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, undefined];
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
