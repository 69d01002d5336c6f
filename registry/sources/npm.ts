import { mkdtemp, readFile, rm, stat } from "../files/async-fs.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pacote from "pacote";
import type { z } from "zod";
import { AgentError, redact } from "../../schemas/errors.js";
import type { npmMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import type { npmPluginSourceSchema } from "../../schemas/plugin-source.js";
import { npmCacheDirFor, timeoutFor } from "./fetcher.js";
import { npmConfig } from "./npm-config.js";
import type { FetchContext, MarketplaceSourceHandler, PluginSourceHandler } from "./source.js";

type NpmMarketplaceSource = z.infer<typeof npmMarketplaceSourceSchema>;
type NpmPluginSource = z.infer<typeof npmPluginSourceSchema>;

/**
 * npm packages through pacote against any registry (the source's `registry`, else the user's npm
 * config), with the user's .npmrc auth and proxy settings (else the environment's proxy variables). The tarball's sha512 integrity is verified by pacote and
 * recorded, and it is unpacked by the one safe extractor; the package version is the source version.
 */
export async function extractPackage(spec: { package: string; version?: string | undefined; registry?: string | undefined }, dest: string, ctx: FetchContext) {
  const config = npmConfig(ctx.env);
  const registry = spec.registry ?? config.registry;
  // .npmrc's proxy settings as npm hands them on (its `proxy` key passes as it is)
  const proxy = { ...(config["https-proxy"] ? { httpsProxy: config["https-proxy"] } : {}), ...(config.noproxy ? { noProxy: config.noproxy } : {}) };
  const options = { ...config, ...proxy, ...(registry ? { registry } : {}), cache: npmCacheDirFor(ctx), timeout: timeoutFor(ctx), fetchRetries: 0, preferOnline: true };
  const request = `${spec.package}@${spec.version ?? "latest"}`;
  // pacote and the extractor load only when an npm source is fetched: they cost more start-up than the rest of the CLI
  const [{ default: npm }, { extractTarball }] = await Promise.all([import("pacote"), import("../archive/extract-tarball.js")]);
  let result: Buffer & { integrity: string; resolved: string };
  try {
    result = await npm.tarball(request, options as pacote.Options);
  } catch (error) {
    throw npmError(error, request, registry);
  }
  await extractTarball(result, dest, { what: `npm package ${request}`, strip: 1, env: ctx.env });
  const manifest = JSON.parse(await readFile(join(dest, "package.json"), "utf8")) as { version?: string };
  return { integrity: result.integrity, version: manifest.version, resolved: redact(result.resolved) };
}

function npmError(error: unknown, request: string, registry: string | undefined): AgentError {
  const e = error as { code?: string; statusCode?: number; message?: string };
  const where = registry ? ` from ${redact(registry)}` : "";
  const evidence = { package: request, registry: registry && redact(registry), cause: e.code };
  if (e.code === "E404" || e.code === "ETARGET") {
    return new AgentError("E_NOT_FOUND", `npm package ${request} was not found${where}`, { hint: "Check the package name, version and registry.", details: evidence });
  }
  if (e.code === "E401" || e.code === "E403") {
    return new AgentError("E_AUTH", `The npm registry refused access to ${request}${where}`, { hint: "Log in with `npm login --registry <url>` so ~/.npmrc holds a token.", details: evidence });
  }
  if (e.code === "EINTEGRITY") return new AgentError("E_INTEGRITY", `npm package ${request} failed its integrity check`, { details: evidence });
  if (e.code === "TAR_BAD_ARCHIVE" || e.code === "Z_DATA_ERROR" || /zlib|TAR_/.test(e.code ?? "")) {
    return new AgentError("E_UNSAFE_ARCHIVE", `npm package ${request} is not a valid gzip tarball`, { hint: "The registry served a broken tarball; ask its owner to republish.", details: evidence });
  }
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "ECONNRESET" || e.code === "EAI_AGAIN") {
    return new AgentError("E_NETWORK", `Could not reach the npm registry${where}: ${e.code}`, { hint: "Check the registry URL and your network.", details: evidence });
  }
  if (e.code === "ETIMEDOUT" || e.code === "ESOCKETTIMEDOUT" || e.code === "ERR_SOCKET_TIMEOUT" || /timeout/i.test(e.message ?? "")) {
    return new AgentError("E_TIMEOUT", `The npm registry timed out fetching ${request}${where}`, { hint: "Raise AGENT_FETCH_TIMEOUT_MS or check the registry.", details: evidence });
  }
  return new AgentError("E_REGISTRY", `Could not fetch npm package ${request}${where}: ${redact(e.message ?? String(error))}`, { details: evidence });
}

export const npmMarketplace: MarketplaceSourceHandler<NpmMarketplaceSource> = {
  kind: "npm",
  async fetch(source, dest, ctx) {
    // a throwaway pacote cache: a marketplace is fetched whole each time, and a failed fetch leaves no trace
    const cache = await mkdtemp(join(tmpdir(), "agent-npm-mkt-"));
    try {
      await extractPackage(source, dest, { ...ctx, npmCacheDir: cache });
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
    const nested = join(dest, ".claude-plugin", "marketplace.json");
    const isDir = await stat(nested).then(() => true, () => false);
    const manifestPath = isDir ? nested : join(dest, "marketplace.json");
    return { installLocation: isDir ? dest : manifestPath, manifestPath, pluginRoot: dest };
  },
};

export const npmPlugin: PluginSourceHandler<NpmPluginSource> = {
  kind: "npm",
  async fetch(source, dest, ctx) {
    const { integrity, version } = await extractPackage(source, dest, ctx);
    return { dir: dest, integrity, ...(version ? { sourceVersion: version } : {}) };
  },
};
