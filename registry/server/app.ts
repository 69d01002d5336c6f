import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { authenticate } from "./auth/authenticate.js";
import { FailedAuthLimiter } from "./auth/rate-limit.js";
import { defaultLimits, type RegistryDeps, type RegistryEnv, type RegistryLimits } from "./context.js";
import { httpError, renderError } from "./http-error.js";
import { distTagRoutes } from "./routes/dist-tags.js";
import { marketplaceRoutes } from "./routes/marketplace.js";
import { packumentRoutes } from "./routes/packument.js";
import { publishRoutes } from "./routes/publish.js";
import { searchRoutes } from "./routes/search.js";
import { tarballRoutes } from "./routes/tarball.js";
import { userRoutes } from "./routes/user.js";
import type { Storage } from "./storage/storage.js";
import { mountWeb } from "./web/mount-web.js";

export interface RegistryAppOptions {
  storage: Storage;
  private?: boolean;
  signingKey?: RegistryDeps["signingKey"];
  publicUrl?: string;
  marketplaceName?: string;
  limits?: Partial<RegistryLimits>;
  /** more routes, mounted after the registry's own */
  extraRoutes?: (app: Hono<RegistryEnv>) => void;
}

/**
 * The registry: npm protocol routes, the marketplace endpoint and the web catalog on one hono app.
 * Fixed paths (/-/…, /marketplace.json) are registered before the package-name patterns.
 */
export function createRegistryApp(options: RegistryAppOptions): Hono<RegistryEnv> {
  const limits = { ...defaultLimits, ...options.limits };
  const deps: RegistryDeps = {
    storage: options.storage,
    private: Boolean(options.private),
    ...(options.signingKey ? { signingKey: options.signingKey } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    marketplaceName: options.marketplaceName ?? "agent-registry",
    limits,
    limiter: new FailedAuthLimiter(limits.authFailureLimit, limits.authFailureWindowMs),
  };
  const app = new Hono<RegistryEnv>();
  app.onError(renderError);
  app.notFound((c) => c.json({ error: "Not found", code: "E_NOT_FOUND" }, 404));
  app.use(async (c, next) => {
    c.set("deps", deps);
    c.set("ip", clientAddress(c.env));
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && leavesBodyUnread(c.req.raw, c.res.status)) c.header("Connection", "close");
  });
  const limitBody = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: () => {
      throw httpError(413, "E_TOO_LARGE", `The request body is larger than ${limits.maxBodyBytes} bytes`, "Publish a smaller package, or raise the server's limit.");
    },
  });
  // reads go straight on: touching the body of a GET would build a full Request per call
  app.use((c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next)));
  app.use(authenticate());
  app.get("/-/ping", (c) => c.json({}));
  userRoutes(app);
  searchRoutes(app);
  distTagRoutes(app);
  marketplaceRoutes(app);
  mountWeb(app, { storage: options.storage, ...(options.publicUrl ? { baseUrl: options.publicUrl } : {}) });
  options.extraRoutes?.(app);
  tarballRoutes(app);
  publishRoutes(app);
  packumentRoutes(app);
  return app;
}

function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/**
 * Whether a request is answered before its body was read to the end: refused before a route read it
 * (a wrong token's 401, a body sent to a route that reads none) or cut off by the size limit (413). The server reads such a body only for a
 * moment, then drops the connection; the answer says `Connection: close` so that the client does not
 * keep the connection for its next request, which would fail as the server drops it.
 */
function leavesBodyUnread(request: Request, status: number): boolean {
  const hasBody = request.headers.has("transfer-encoding") || Number(request.headers.get("content-length") ?? 0) > 0;
  return hasBody && (status === 413 || !request.bodyUsed);
}
