import { Hono } from "hono";
import { requireRead } from "../auth/access.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { packageRoute } from "../package-param.js";

const maxCachedBytes = 64 * 1024 * 1024;

/**
 * GET /<name>/-/<file>.tgz. Published tarballs never change (a name@version is never reused), so
 * bytes are cached by integrity; a version that is unpublished disappears from the packument first.
 */
export function tarballRoutes(app: Hono<RegistryEnv>): void {
  const cache = new Map<string, Uint8Array>();
  let cachedBytes = 0;
  packageRoute(app, "get", "/-/:file", async (c, name) => {
    requireRead(c);
    const file = c.req.param("file") ?? "";
    const stored = await c.get("deps").storage.getPackument(name);
    const manifest = stored && Object.values(stored.packument.versions).find((v) => v.dist.tarball === `${name}/-/${file}`);
    if (!manifest) throw httpError(404, "E_NOT_FOUND", `Tarball ${name}/-/${file} not found`, "Check the package version.");
    const key = manifest.dist.integrity;
    let bytes = cache.get(key);
    if (!bytes) {
      bytes = await c.get("deps").storage.getTarball(name, file);
      if (!bytes) throw httpError(404, "E_NOT_FOUND", `Tarball ${name}/-/${file} not found`, "Check the package version.");
      if (cachedBytes + bytes.length > maxCachedBytes) {
        cache.clear();
        cachedBytes = 0;
      }
      cache.set(key, bytes);
      cachedBytes += bytes.length;
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/octet-stream", "content-length": String(bytes.length), etag: `"${manifest.dist.shasum}"` });
  });
}
