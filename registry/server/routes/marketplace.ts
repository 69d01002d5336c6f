import { Hono, type Context } from "hono";
import { requireRead } from "../auth/access.js";
import { baseUrlOf } from "../base-url.js";
import { buildMarketplace, listCatalogPlugins, npmSourceFor } from "../catalog/build-marketplace.js";
import { signCatalog } from "../catalog/sign-catalog.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";

/**
 * GET /marketplace.json: a Claude Code marketplace of every published plugin, with npm sources that
 * point back at this registry. With a signing key, /marketplace.json.sig is the base64 ed25519
 * signature of those exact bytes (also sent as the x-agent-signature header).
 */
export function marketplaceRoutes(app: Hono<RegistryEnv>): void {
  const render = async (c: Context<RegistryEnv>) => {
    requireRead(c);
    const base = baseUrlOf(c);
    const marketplace = buildMarketplace(c.get("deps").marketplaceName, await listCatalogPlugins(c.get("deps").storage), npmSourceFor(base));
    const body = JSON.stringify(marketplace, null, 2) + "\n";
    const key = c.get("deps").signingKey;
    return { body, signature: key ? signCatalog(body, key) : undefined };
  };
  app.get("/marketplace.json", async (c) => {
    const { body, signature } = await render(c);
    return c.body(body, 200, { "content-type": "application/json", ...(signature ? { "x-agent-signature": signature } : {}) });
  });
  app.get("/marketplace.json.sig", async (c) => {
    const { signature } = await render(c);
    if (!signature) throw httpError(404, "E_NOT_FOUND", "This registry does not sign its catalog", "Start it with --signing-key <ed25519 pem>.");
    return c.text(signature + "\n");
  });
}
