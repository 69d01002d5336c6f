import { Hono } from "hono";
import { userBodySchema } from "../../../schemas/registry-api.js";
import { requireScope } from "../auth/access.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { hashToken, mintToken } from "../auth/token.js";
import { audit } from "../audit.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { jsonBody } from "../request-body.js";

const badLogin = () => httpError(401, "E_AUTH", "Incorrect username or password", "Check the credentials; accounts are created by a registry admin.");

/**
 * `npm login`/`adduser` (PUT /-/user/org.couchdb.user:<name>), `npm whoami`, `npm logout`.
 * A login with the right password gets a new publish token. Creating an account needs an admin
 * token. Unknown user and wrong password read the same and take the same time.
 */
export function userRoutes(app: Hono<RegistryEnv>): void {
  app.put("/-/user/:id", async (c) => {
    const { storage, limiter } = c.get("deps");
    const retryAfter = limiter.blocked(c.get("ip"));
    if (retryAfter !== undefined) throw httpError(429, "E_AUTH", "Too many failed authentication attempts", `Wait ${retryAfter} s before trying again.`, { retryAfter });
    const body = await jsonBody(c, userBodySchema);
    if (c.req.param("id") !== `org.couchdb.user:${body.name}`) throw httpError(400, "E_USAGE", "The user name in the URL and the body differ", "Log in with `npm login`.");
    const existing = await storage.getUser(body.name);
    const caller = c.get("auth");
    if (!existing && caller?.scope === "admin") {
      await storage.createUser({ name: body.name, passwordHash: await hashPassword(body.password), createdAt: new Date().toISOString(), ...(body.email ? { email: body.email } : {}) });
      await audit(c, caller.user, { action: "user.create", detail: { user: body.name } });
    } else if (!(await verifyPassword(body.password, existing?.passwordHash)) || !existing) {
      limiter.fail(c.get("ip"));
      throw badLogin();
    }
    const { token, record } = await mintToken(storage, body.name, "publish", "npm login");
    await audit(c, body.name, { action: "token.create", detail: { user: body.name, scope: record.scope, prefix: record.prefix } });
    return c.json({ ok: true, id: `org.couchdb.user:${body.name}`, token }, 201);
  });

  app.get("/-/user/:id", async (c) => {
    requireScope(c, "read");
    const name = c.req.param("id").replace(/^org\.couchdb\.user:/, "");
    const user = await c.get("deps").storage.getUser(name);
    if (!user) throw httpError(404, "E_NOT_FOUND", `User ${name} not found`, "An admin creates accounts.");
    return c.json({ _id: `org.couchdb.user:${user.name}`, name: user.name, ...(user.email ? { email: user.email } : {}) });
  });

  app.delete("/-/user/token/:token", async (c) => {
    const auth = requireScope(c, "read");
    const hash = hashToken(c.req.param("token"));
    if (hash !== auth.hash) throw httpError(403, "E_PERMISSION_DENIED", "A token can only revoke itself", "Run `npm logout` with the token to revoke.");
    await c.get("deps").storage.revokeToken(hash);
    await audit(c, auth.user, { action: "token.revoke", detail: { prefix: auth.prefix } });
    return c.json({ ok: true }, 200);
  });

  app.get("/-/whoami", (c) => c.json({ username: requireScope(c, "read").user }));
}
