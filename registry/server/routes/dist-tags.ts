import { Hono, type Context } from "hono";
import { distTagBodySchema } from "../../../schemas/registry-api.js";
import { requireOwner, requireRead } from "../auth/access.js";
import { audit } from "../audit.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { assertDistTag, assertPackageName } from "../package-name.js";
import { jsonBody } from "../request-body.js";

/** `npm dist-tag ls/add/rm`: /-/package/<name>/dist-tags[/<tag>] */
export function distTagRoutes(app: Hono<RegistryEnv>): void {
  app.get("/-/package/:name/dist-tags", async (c) => {
    requireRead(c);
    const name = assertPackageName(c.req.param("name"));
    const stored = await c.get("deps").storage.getPackument(name);
    if (!stored) throw httpError(404, "E_NOT_FOUND", `Package ${name} not found`, "Check the package name.");
    return c.json(stored.packument["dist-tags"]);
  });
  const add = async (c: Context<RegistryEnv>) => {
    const name = assertPackageName(c.req.param("name") ?? "");
    const tag = assertDistTag(c.req.param("tag") ?? "");
    const auth = await requireOwner(c, name);
    const version = await jsonBody(c, distTagBodySchema);
    await c.get("deps").storage.putDistTag(name, tag, version);
    await audit(c, auth.user, { action: "dist-tag.add", package: name, version, detail: { tag } });
    return c.json({ ok: true }, 201);
  };
  app.put("/-/package/:name/dist-tags/:tag", add);
  app.post("/-/package/:name/dist-tags/:tag", add);
  app.delete("/-/package/:name/dist-tags/:tag", async (c) => {
    const name = assertPackageName(c.req.param("name"));
    const tag = c.req.param("tag");
    const auth = await requireOwner(c, name);
    if (tag === "latest") throw httpError(400, "E_USAGE", "The latest tag cannot be removed", "Point it at another version with `npm dist-tag add <pkg>@<version> latest`.");
    await c.get("deps").storage.removeDistTag(name, tag);
    await audit(c, auth.user, { action: "dist-tag.rm", package: name, detail: { tag } });
    return c.json({ ok: true }, 200);
  });
}
