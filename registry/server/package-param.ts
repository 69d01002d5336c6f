import type { Context, Hono } from "hono";
import type { RegistryEnv } from "./context.js";
import { assertPackageName } from "./package-name.js";

type Handler = (c: Context<RegistryEnv>, name: string) => Response | Promise<Response>;
type Method = "get" | "put" | "delete";

/**
 * Registers a package route under both spellings npm clients use: "/@scope%2fname<suffix>" (and
 * unscoped "/name<suffix>") and "/@scope/name<suffix>". The handler gets the validated name.
 */
export function packageRoute(app: Hono<RegistryEnv>, method: Method, suffix: string, handler: Handler): void {
  app[method](`/:scope{@[^/]+}/:name${suffix}`, (c) => handler(c, assertPackageName(`${c.req.param("scope")}/${c.req.param("name")}`)));
  app[method](`/:name${suffix}`, (c) => handler(c, assertPackageName(c.req.param("name"))));
}
