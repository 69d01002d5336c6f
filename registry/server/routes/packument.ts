import { Hono } from "hono";
import { requireRead } from "../auth/access.js";
import { baseUrlOf } from "../base-url.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { packageRoute } from "../package-param.js";
import { abbreviatedPackument, fullPackument } from "../packument-view.js";

const abbreviatedType = "application/vnd.npm.install-v1+json";
const maxCached = 2000;

/** GET /<name>: the full packument, or the abbreviated one for `Accept: application/vnd.npm.install-v1+json`. */
export function packumentRoutes(app: Hono<RegistryEnv>): void {
  const rendered = new Map<string, string>();
  packageRoute(app, "get", "", async (c, name) => {
    requireRead(c);
    const stored = await c.get("deps").storage.getPackument(name);
    if (!stored || Object.keys(stored.packument.versions).length === 0) {
      throw httpError(404, "E_NOT_FOUND", `Package ${name} not found`, "Check the package name.");
    }
    const abbreviated = (c.req.header("accept") ?? "").includes(abbreviatedType);
    const base = baseUrlOf(c);
    const owners = abbreviated ? [] : await c.get("deps").storage.getOwners(name);
    const etag = `"${stored.rev}${abbreviated ? "-a" : `-${owners.length}`}"`;
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, { etag });
    const key = `${name}\0${etag}\0${base}\0${owners.join(",")}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = JSON.stringify(abbreviated ? abbreviatedPackument(stored.packument, base) : fullPackument(stored.packument, stored.rev, owners, base));
      if (rendered.size >= maxCached) rendered.clear();
      rendered.set(key, body);
    }
    return c.body(body, 200, { "content-type": abbreviated ? abbreviatedType : "application/json", etag });
  });
}
