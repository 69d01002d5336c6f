import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpFixture {
  url(path: string): string;
  requests: { path: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
}

/**
 * A loopback http server: `routes` maps a path to a body (string/Buffer) or a status; `hang` paths never
 * answer (for timeouts). Requests are recorded with their headers.
 */
export async function startHttpFixture(routes: Record<string, string | Buffer | number | "hang">): Promise<HttpFixture> {
  const requests: HttpFixture["requests"] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (route === "hang") return;
    if (route === undefined) return void res.writeHead(404).end("not found");
    if (typeof route === "number") return void res.writeHead(route).end();
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(route);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
