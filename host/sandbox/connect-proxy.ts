import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The host side of the "network: {allow: [...]}" level: an HTTP proxy (CONNECT for TLS, absolute-URI
 * requests for plain HTTP) listening on a unix socket in a private 0700 dir. It lets a request through
 * only when its host is on the plugin's allowlist; everything else gets 403. The sandbox has no route
 * out but this proxy (see proxy-bridge.ts).
 */
export interface ConnectProxy {
  socketPath: string;
  /** hosts refused so far, for the error a plugin author sees */
  refused: string[];
  close(): Promise<void>;
}

/** `api.example.com` matches itself; `*.example.com` matches any subdomain (not example.com itself). */
export function hostAllowed(host: string, allow: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  return allow.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith("*.") ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
  });
}

export async function startConnectProxy(allow: readonly string[]): Promise<ConnectProxy> {
  const dir = mkdtempSync(join(tmpdir(), "agent-proxy-"));
  const socketPath = join(dir, "proxy.sock");
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const refuse = (host: string) => {
    if (!refused.includes(host)) refused.push(host);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("agent proxy: expected an absolute http:// URL\n");
      return;
    }
    if (url.protocol !== "http:" || !hostAllowed(url.hostname, allow)) {
      refuse(url.hostname);
      res.writeHead(403, { "content-type": "text/plain" }).end(`agent proxy: ${url.hostname} is not on this plugin's network allowlist\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    const upstream = httpRequest({ host: url.hostname, port: url.port || 80, path: url.pathname + url.search, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", (error) => res.headersSent ? res.destroy() : res.writeHead(502).end(`agent proxy: ${error.message}\n`));
    req.pipe(upstream);
  });

  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? "");
    if (!match || !hostAllowed(match[1]!, allow)) {
      if (match) refuse(match[1]!);
      client.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nnot on this plugin's network allowlist\n");
      return;
    }
    let connected = false;
    const upstream = connect(Number(match[2]), match[1]!.replace(/^\[|\]$/g, ""), () => {
      connected = true;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => {
      if (client.writable && !connected) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      else client.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
