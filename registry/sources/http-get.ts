import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import { AgentError, redact } from "../../schemas/errors.js";
import { ProxyFailure, proxiedRequest, proxyFor } from "./http-proxy.js";
import { timeoutFor } from "./fetcher.js";
import type { FetchContext } from "./source.js";

export interface HttpGetOptions {
  headers?: Record<string, string> | undefined;
  /** bytes; a larger body is E_TOO_LARGE and is not read past the limit */
  maxBytes: number;
  /** what is being fetched, for messages ("marketplace", "archive") */
  what: string;
}

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
 * GET one http(s) resource into memory, bounded in time (AGENT_FETCH_TIMEOUT_MS) and size. Errors carry
 * the redacted URL: E_NETWORK (unreachable), E_TIMEOUT, E_HTTP (status), E_AUTH (401/403), E_TOO_LARGE.
 * With HTTPS_PROXY / HTTP_PROXY set (and the host not in NO_PROXY) it goes through the proxy, as git and
 * npm do; else through Node's fetch.
 */
export async function httpGet(url: string, ctx: FetchContext, options: HttpGetOptions): Promise<Buffer> {
  const shown = redact(url);
  const timeoutMs = timeoutFor(ctx);
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(ctx.signal ? [ctx.signal] : [])]);
  let response: HttpResponse;
  try {
    response = await sendHttp(new URL(url), { method: "GET", headers: options.headers ?? {} }, ctx.env, timeoutMs, signal);
  } catch (error) {
    throw transportError(error, shown, timeoutMs, options.what);
  }
  if (response.status === 401 || response.status === 403) {
    await response.cancel();
    throw new AgentError("E_AUTH", `${options.what} ${shown} refused access (HTTP ${response.status})`, {
      hint: "Send credentials with the source's `headers` (e.g. \"Authorization\": \"Bearer ${MY_TOKEN}\").",
      details: { url: shown, status: response.status },
    });
  }
  if (response.status < 200 || response.status >= 300) {
    await response.cancel();
    throw new AgentError("E_HTTP", `Could not download ${options.what} ${shown}: HTTP ${response.status} ${response.statusText}`.trim(), {
      hint: response.status === 404 ? "Check the URL." : "Try again later, or check the server.",
      details: { url: shown, status: response.status },
    });
  }
  const declared = Number.parseInt(response.headers.get("content-length") ?? "", 10);
  if (declared > options.maxBytes) {
    await response.cancel();
    throw tooLarge(shown, options, declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > options.maxBytes) {
        await response.cancel().catch(() => {});
        throw tooLarge(shown, options, total);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw transportError(error, shown, timeoutMs, options.what);
  }
  return Buffer.concat(chunks);
}

function tooLarge(url: string, options: HttpGetOptions, seen: number): AgentError {
  return new AgentError("E_TOO_LARGE", `${options.what} ${url} is larger than the ${Math.round(options.maxBytes / 1024 / 1024)} MB limit (${seen} bytes or more)`, {
    hint: "A marketplace.json this big is almost certainly wrong; check the URL.",
    details: { url, maxBytes: options.maxBytes, bytes: seen },
  });
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

function transportError(error: unknown, url: string, timeoutMs: number, what: string): AgentError {
  if (error instanceof AgentError) return error; // a proxy URL that is not a URL (E_USAGE)
  const failure = transportFailure(error);
  if (error instanceof ProxyFailure) {
    return new AgentError(failure.kind === "timeout" ? "E_TIMEOUT" : "E_NETWORK", `Downloading ${what} ${url} failed: ${failure.detail}`, {
      hint: "Check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY.",
      details: { url, status: error.options.status },
      cause: error,
    });
  }
  if (failure.kind !== "network") {
    return new AgentError(failure.kind === "timeout" ? "E_TIMEOUT" : "E_ABORTED", failure.kind === "timeout" ? `Downloading ${what} ${url} timed out after ${timeoutMs} ms` : `Downloading ${what} ${url} was interrupted`, {
      hint: "Check that the server is up, or raise AGENT_FETCH_TIMEOUT_MS.",
      details: { url, timeoutMs },
    });
  }
  return new AgentError("E_NETWORK", `Could not reach ${url}: ${failure.detail}`, {
    hint: "Check the URL and your network connection.",
    details: { url, cause: (error as { cause?: { code?: string } })?.cause?.code },
    cause: error,
  });
}
