// agent's own HTTP requests (downloads, registry writes, http hooks, MCP over http): through the proxy
// the environment names for a host (http-proxy.ts), else through Node's fetch.
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import { ProxyFailure, proxiedRequest, proxyFor } from "./http-proxy.js";

/** A response as sendHttp gives it, from fetch or from node:http. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: AsyncIterable<Uint8Array>;
  cancel(): Promise<void>;
}

/** What sendHttp sends: a method, headers and, for a write, a body. */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** "manual": a redirect comes back as the response, as fetch's `redirect: "manual"`; default "follow" */
  redirect?: "follow" | "manual";
}

/**
 * One request, following redirects as fetch does. With HTTPS_PROXY / HTTP_PROXY set for the host (and
 * the host not in NO_PROXY) it goes through the proxy, as git and npm do; else through Node's fetch.
 * Transport failures are thrown as they come: transportFailure says what they were.
 */
export async function sendHttp(url: URL, request: HttpRequest, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal): Promise<HttpResponse> {
  if (proxyFor(url, env)) return requestThroughProxies(url, request, env, timeoutMs, signal);
  return fromFetch(await fetch(url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), redirect: request.redirect ?? "follow", signal }));
}

/**
 * A fetch for libraries that take one (the MCP SDK's HTTP transports): through the proxy `env` names
 * for a URL's host, else Node's own fetch, untouched.
 */
export function fetchThroughProxy(env: NodeJS.ProcessEnv): (input: string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init = {}) => {
    const url = new URL(input);
    if (!proxyFor(url, env)) return fetch(input, init);
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === "string" ? init.body : await new Response(init.body).text();
    const request: HttpRequest = { method: init.method ?? "GET", headers: Object.fromEntries(new Headers(init.headers)), body, redirect: init.redirect === "manual" ? "manual" : "follow" };
    const response = await sendHttp(url, request, env, connectTimeoutMs, init.signal ?? new AbortController().signal);
    const empty = request.method === "HEAD" || [101, 204, 205, 304].includes(response.status);
    if (empty) await response.cancel();
    const stream = empty ? null : (Readable.toWeb(Readable.from(response.body)) as ReadableStream<Uint8Array>);
    return new Response(stream, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** How long a proxy may take to open a tunnel for fetchThroughProxy (the request itself is bounded by the caller's signal). */
const connectTimeoutMs = 30_000;

/** A response's whole body as UTF-8 text. */
export async function readBody(response: HttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function fromFetch(response: Response): HttpResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: (response.body ?? (async function* () {})()) as AsyncIterable<Uint8Array>,
    cancel: async () => void (await response.body?.cancel()),
  };
}

/**
 * A request over node:http(s), through the proxy each URL's host calls for, following redirects as fetch
 * does: 303 (and 301/302 after a POST) turn into a GET without the body, 307/308 repeat the request, and
 * an Authorization header does not follow one to another origin.
 */
function requestThroughProxies(url: URL, request: HttpRequest, env: NodeJS.ProcessEnv, timeoutMs: number, signal: AbortSignal, hops = 0): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const sending = proxiedRequest(url, { method: request.method, headers: request.headers, env, timeoutMs, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (location && [301, 302, 303, 307, 308].includes(status) && request.redirect !== "manual" && hops < 20) {
        res.resume();
        const next = new URL(location, url);
        const headers = next.origin === url.origin ? request.headers : Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== "authorization"));
        const toGet = (status === 303 && request.method !== "HEAD") || ((status === 301 || status === 302) && request.method === "POST");
        const again = toGet ? { method: "GET", headers: withoutBodyHeaders(headers) } : { ...request, headers };
        return resolve(requestThroughProxies(next, again, env, timeoutMs, signal, hops + 1));
      }
      resolve({ status, statusText: res.statusMessage ?? "", headers: webHeaders(res.headers), body: res, cancel: async () => void res.destroy() });
    });
    sending.then((req) => req.on("error", reject).end(request.body), reject);
  });
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length|encoding|language|location)$/i.test(name)));
}

function webHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.append(name, one);
  }
  return out;
}

/**
 * What a failure sendHttp threw was: the time limit, an abort, or the network (the proxy included), with
 * the most telling detail (an errno code, or the message).
 */
export function transportFailure(error: unknown): { kind: "timeout" | "aborted" | "network"; detail: string } {
  // node:http reports an aborted request as AbortError, with the signal's reason (TimeoutError) as its cause
  const name = (error as Error)?.name === "AbortError" && (error as { cause?: Error }).cause?.name === "TimeoutError" ? "TimeoutError" : (error as Error)?.name;
  if (error instanceof ProxyFailure) return { kind: error.options.timeout ? "timeout" : "network", detail: error.message };
  if (name === "TimeoutError" || name === "AbortError") return { kind: name === "TimeoutError" ? "timeout" : "aborted", detail: (error as Error).message };
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return { kind: "network", detail: cause?.code ?? cause?.message ?? (error as Error)?.message };
}
