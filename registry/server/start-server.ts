import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { createRegistryApp, type RegistryAppOptions } from "./app.js";
import { ensureUser } from "./auth/ensure-user.js";
import { hashToken, mintToken } from "./auth/token.js";
import type { Storage } from "./storage/storage.js";

export interface StartOptions extends Omit<RegistryAppOptions, "storage"> {
  storage: Storage;
  port?: number;
  host?: string;
  /** AGENT_REGISTRY_ADMIN_TOKEN: seeds this admin token instead of minting one */
  adminToken?: string;
  /** whole-request deadline */
  requestTimeoutMs?: number;
}

export interface RunningRegistry {
  url: string;
  port: number;
  /** the admin token minted on first start (shown once), or undefined when admins already exist */
  adminToken: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the registry over HTTP. On a store without any admin token, mints one (or records the
 * seeded one) for user "admin" and returns it so the caller can show it once.
 */
export async function startRegistryServer(options: StartOptions): Promise<RunningRegistry> {
  const adminToken = await ensureAdmin(options.storage, options.adminToken);
  const app = createRegistryApp(options);
  const host = options.host ?? "127.0.0.1";
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const serverOptions = {
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 10_000),
    // Idle keep-alive connections stay open a minute (as Verdaccio's do): a client reuses a connection
    // until its own idle timer (a few seconds, or the Keep-Alive hint less a margin) runs out, and a
    // server closing first, at Node's default 5 s, races a request the client is already sending on it
    // ("other side closed"). Closing after the client does leaves no such race.
    keepAliveTimeout: 60_000,
    connectionsCheckingInterval: Math.min(requestTimeout, 1_000),
  };
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 4873, hostname: host, serverOptions }, () => resolve(started as Server));
    started.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    adminToken,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await options.storage.close();
    },
  };
}

async function ensureAdmin(storage: Storage, seeded: string | undefined): Promise<string | undefined> {
  await ensureUser(storage, "admin");
  const tokens = await storage.listTokens();
  if (seeded) {
    if (!tokens.some((t) => t.hash === hashToken(seeded))) await mintToken(storage, "admin", "admin", "AGENT_REGISTRY_ADMIN_TOKEN", seeded);
    return undefined;
  }
  if (tokens.some((t) => t.scope === "admin")) return undefined;
  const { token, record } = await mintToken(storage, "admin", "admin", "first start");
  await storage.appendAudit({ at: record.createdAt, actor: "admin", action: "token.create", detail: { user: "admin", scope: "admin", prefix: record.prefix } });
  return token;
}
