import { createServer, request } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";

export interface ForwardProxy {
  /** for HTTPS_PROXY / HTTP_PROXY */
  url: string;
  /** each request: "CONNECT host:port", or "<METHOD> <absolute URL>" */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A forward proxy on 127.0.0.1: CONNECT tunnels and absolute-form HTTP requests, each recorded.
 * `refuse` answers 403 to CONNECT; `silent` never answers it.
 */
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "upgrade"]);

export async function startForwardProxy(options: { refuse?: boolean; silent?: boolean } = {}): Promise<ForwardProxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    // as a real proxy: hop-by-hop headers (e.g. the client's "Connection: close") are not forwarded
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !hopByHop.has(name)));
    // a connection per request, dropped with the client's: a stream the client gave up on (an MCP
    // server's event stream) does not stay open upstream
    const upstream = request(req.url!, { method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  const tunnels = new Set<{ destroy(): void }>();
  server.on("connect", (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    tunnels.add(socket);
    if (options.refuse) return socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    if (options.silent) return;
    const [host, port] = req.url!.split(":");
    const upstream = connect(Number(port), host!, () => {
      tunnels.add(upstream);
      socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const tunnel of tunnels) tunnel.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
