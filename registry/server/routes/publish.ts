import { Hono } from "hono";
import { packumentUpdateSchema, publishBodySchema } from "../../../schemas/registry-api.js";
import { requireScope } from "../auth/access.js";
import { audit } from "../audit.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { packageRoute } from "../package-param.js";
import { publishVersion } from "../publish/publish-version.js";
import { updatePackument } from "../publish/update-packument.js";
import { parseBody, parseJson } from "../request-body.js";

/** PUT /<name> (publish or packument update) and npm's unpublish DELETEs. */
export function publishRoutes(app: Hono<RegistryEnv>): void {
  const put = async (c: Parameters<Parameters<typeof packageRoute>[3]>[0], name: string) => {
    const text = await c.req.text();
    const value = parseJson(text);
    const hasAttachments = typeof value === "object" && value !== null && "_attachments" in value;
    if (hasAttachments) return publishVersion(c, name, parseBody(publishBodySchema, value));
    return updatePackument(c, name, parseBody(packumentUpdateSchema, value));
  };
  packageRoute(app, "put", "", put);
  packageRoute(app, "put", "/-rev/:rev", put);

  packageRoute(app, "delete", "/-rev/:rev", async (c, name) => {
    const admin = requireScope(c, "admin");
    const stored = await c.get("deps").storage.getPackument(name);
    if (!stored) throw httpError(404, "E_NOT_FOUND", `Package ${name} not found`, "Check the package name.");
    for (const version of Object.keys(stored.packument.versions)) {
      await c.get("deps").storage.unpublishVersion(name, version);
      await audit(c, admin.user, { action: "unpublish", package: name, version });
    }
    return c.json({ ok: true }, 200);
  });
  packageRoute(app, "delete", "/-/:file/-rev/:rev", async (c) => {
    requireScope(c, "admin");
    return c.json({ ok: true }, 200);
  });
}
