/** The proxies agent's own HTTP requests honour, as curl does: HTTPS_PROXY / HTTP_PROXY and NO_PROXY. */
import type { ClientRequest, IncomingMessage } from "node:http";
import { AgentError } from "../../schemas/errors.js";

export interface ProxiedRequestOptions {
  method: string;
  headers: Record<string, string>;
  /** where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read from; none: no proxy */
  env: NodeJS.ProcessEnv | undefined;
  /** bounds the proxy's CONNECT; the caller bounds the request itself */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * A request to `url` over node:http(s), through the proxy `env` names for its host, if any. The caller
 * handles `error` and ends it.
 */
export async function proxiedRequest(url: URL, options: ProxiedRequestOptions, onResponse: (res: IncomingMessage) => void): Promise<ClientRequest> {
  const proxy = options.env ? proxyFor(url, options.env) : undefined;
  const [{ request }, through] = await Promise.all([url.protocol === "http:" ? import("node:http") : import("node:https"), proxy ? viaProxy(url, proxy, options.timeoutMs) : undefined]);
  return request(url, { method: options.method, headers: { ...options.headers, ...through?.headers }, ...through?.options, ...(options.signal ? { signal: options.signal } : {}) }, onResponse);
}

/** The proxy could not be reached, refused the tunnel, or did not answer in time. */
export class ProxyFailure extends Error {
  constructor(
    message: string,
    readonly options: { status?: number; retry: boolean; timeout?: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * The proxy a request to `url` goes through: HTTPS_PROXY for https, HTTP_PROXY for http (lower case
 * wins, as curl), unless NO_PROXY lists the host ("*", a host, a domain and its subdomains, or an
 * address; an entry may name a port).
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = url.protocol === "https:" ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const entry of (env.no_proxy ?? env.NO_PROXY ?? "").split(/[\s,]+/).filter(Boolean)) {
    if (entry === "*") return undefined;
    const [, name = "", only] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.toLowerCase()) ?? [];
    if (only && only !== port) continue;
    const bare = name.replace(/^\*?\./, "");
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  try {
    return new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    throw new AgentError("E_USAGE", `the proxy URL is not a URL: "${raw}"`, { hint: "export HTTPS_PROXY=http://proxy.example.com:3128 (or unset it)" });
  }
}

/**
 * How a request reaches `url` through `proxy`: an http URL is sent to the proxy in absolute form; an
 * https one goes through a CONNECT tunnel, with TLS to the API host inside it (the proxy sees no content).
 */
async function viaProxy(url: URL, proxy: URL, timeoutMs: number): Promise<{ options?: Record<string, unknown>; headers?: Record<string, string> }> {
  const auth: Record<string, string> = proxy.username ? { "proxy-authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}` } : {};
  const proxyPort = Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80));
  if (url.protocol === "http:") return { options: { host: proxy.hostname, port: proxyPort, path: url.href, agent: false }, headers: { host: url.host, ...auth } };
  const [{ request: proxyRequest }, { connect }, { isIP }] = await Promise.all([proxy.protocol === "https:" ? import("node:https") : import("node:http"), import("node:tls"), import("node:net")]);
  const target = `${url.hostname}:${url.port || 443}`;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const createConnection = (_options: unknown, done: (error: Error | null, socket?: import("node:net").Socket) => void) => {
    const tunnel = proxyRequest({ host: proxy.hostname, port: proxyPort, method: "CONNECT", path: target, headers: { host: target, ...auth }, agent: false });
    tunnel.once("connect", (res, socket) => {
      socket.setTimeout(0); // the request over the tunnel keeps its own timeout
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(new ProxyFailure(`the proxy ${proxy.host} refused to connect to ${target} (HTTP ${res.statusCode})`, { status: res.statusCode, retry: res.statusCode === 502 || res.statusCode === 503 || res.statusCode === 504 }));
      }
      // the certificate is checked against the API host; SNI carries a name, never an address
      done(null, connect({ socket, host, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ["http/1.1"] }));
    });
    tunnel.once("error", (error) => done(error instanceof ProxyFailure ? error : new ProxyFailure(`cannot reach the proxy ${proxy.host}: ${error.message}`, { retry: true, cause: error })));
    tunnel.setTimeout(timeoutMs, () => tunnel.destroy(new ProxyFailure(`the proxy ${proxy.host} did not open a tunnel to ${target} in time`, { retry: true, timeout: true })));
    tunnel.end();
  };
  return { options: { createConnection, agent: undefined } };
}
