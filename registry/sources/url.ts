import { writeFile } from "../files/async-fs.js";
import type { z } from "zod";
import { AgentError } from "../../schemas/errors.js";
import type { urlMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import { verifyCatalogSignature } from "./catalog-signature.js";
import { httpGet } from "./http-get.js";
import type { MarketplaceSourceHandler } from "./source.js";

type UrlSource = z.infer<typeof urlMarketplaceSourceSchema>;

export const defaultMaxMarketplaceBytes = 10 * 1024 * 1024;

/**
 * A marketplace.json served over http(s), stored as the file plugins/marketplaces/<name> like Claude
 * Code does (relative plugin sources cannot work from it). Header values may name environment
 * variables, `"Authorization": "Bearer ${CATALOG_TOKEN}"`, so a token need not be written in settings;
 * AGENT_MARKETPLACE_TOKEN is sent as a bearer token when no Authorization header is given.
 */
export const urlMarketplace: MarketplaceSourceHandler<UrlSource> = {
  kind: "url",
  async fetch(source, dest, ctx) {
    ctx.log(`Downloading marketplace from ${new URL(source.url).origin}…`);
    const maxBytes = Number.parseInt(ctx.env.AGENT_MAX_MARKETPLACE_BYTES ?? "", 10) || defaultMaxMarketplaceBytes;
    const headers = requestHeaders(source, ctx.env);
    const body = await httpGet(source.url, ctx, { headers, maxBytes, what: "marketplace" });
    if (source.pubkey) await verifyCatalogSignature(source.url, body, source.pubkey, ctx, headers);
    await writeFile(dest, body, { flag: "wx" });
    return { installLocation: dest, manifestPath: dest, pluginRoot: undefined };
  },
};

export function requestHeaders(source: UrlSource, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [key, value] of Object.entries(source.headers ?? {})) {
    headers[key] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new AgentError("E_CONFIG", `Header ${key} of marketplace ${source.url} refers to \${${name}}, which is not set`, {
          hint: `Export ${name} before running agent.`,
          details: { header: key, variable: name },
        });
      }
      return found;
    });
  }
  const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === "authorization");
  if (!hasAuth && env.AGENT_MARKETPLACE_TOKEN) headers.authorization = `Bearer ${env.AGENT_MARKETPLACE_TOKEN}`;
  return headers;
}
