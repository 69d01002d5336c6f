import type { IncomingMessage } from "node:http";
import type Anthropic from "@anthropic-ai/sdk";
import { AgentError } from "../../schemas/errors.js";

/** One streamed response: its events as they arrive, and the whole message once it is complete. */
export interface MessageStreamLike extends AsyncIterable<Anthropic.MessageStreamEvent> {
  finalMessage(): Promise<Anthropic.Message>;
}

/** What the query loop needs of a client. ModelClient has it, and so has the SDK's Anthropic client. */
export interface MessagesApi {
  messages: { stream(params: Anthropic.MessageStreamParams, options?: { signal?: AbortSignal }): MessageStreamLike };
}

/** The session was built without a client (an embedder's or a test's mistake, never a user's). */
export function noModelClient(): AgentError {
  return new AgentError("E_INTERNAL", "this session has no model client", { hint: "Give the session a client (new ModelClient()) before running it." });
}

export interface ModelClientOptions {
  apiKey?: string | null;
  authToken?: string | null;
  /** default https://api.anthropic.com; a gateway's URL may carry a path prefix */
  baseURL?: string;
  /** retries of a request that failed before its stream began (default 2, as the SDK) */
  maxRetries?: number;
  /** a request with no bytes from the server for this long fails (default 10 minutes, as the SDK) */
  timeoutMs?: number;
  userAgent?: string;
  /** where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read from; no proxy when absent */
  env?: NodeJS.ProcessEnv;
}

const apiVersion = "2023-06-01";

/**
 * The Messages API client sessions run with: one streaming POST to `/v1/messages` over node:http(s), the
 * server-sent events parsed and the message put together the way the SDK's MessageStream does it. It
 * keeps the SDK's contract where a user sees it (ANTHROPIC_BASE_URL, x-api-key or a bearer token, two
 * retries with backoff on connection errors, 408, 409, 429 and 5xx, honouring retry-after and
 * x-should-retry) without the SDK's fetch: Node compiles undici on the first fetch, which costs more
 * than a session's whole set-up before its first request.
 */
export class ModelClient implements MessagesApi {
  readonly messages: MessagesApi["messages"];

  constructor(private readonly options: ModelClientOptions = {}) {
    this.messages = { stream: (params, streamOptions) => this.stream(params, streamOptions?.signal) };
  }

  private stream(params: Anthropic.MessageStreamParams, signal: AbortSignal | undefined): MessageStreamLike {
    const message = new MessageBuilder();
    let run: AsyncGenerator<Anthropic.MessageStreamEvent> | undefined;
    let settle!: { resolve(m: Anthropic.Message): void; reject(e: unknown): void };
    const done = new Promise<Anthropic.Message>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => {}); // a caller that only iterates sees the error there
    const events = async function* (this: ModelClient): AsyncGenerator<Anthropic.MessageStreamEvent> {
      try {
        for await (const event of this.events(params, signal)) {
          message.add(event);
          yield event;
        }
        settle.resolve(message.finish());
      } catch (error) {
        settle.reject(error);
        throw error;
      }
    }.bind(this);
    const start = () => (run ??= events());
    return {
      [Symbol.asyncIterator]: start,
      async finalMessage() {
        if (!run) for await (const _ of start());
        return done;
      },
    };
  }

  /** The response's events; a request that fails before any event arrives is retried. */
  private async *events(params: Anthropic.MessageStreamParams, signal: AbortSignal | undefined): AsyncGenerator<Anthropic.MessageStreamEvent> {
    const maxRetries = this.options.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.post(params, signal).then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      );
      if ("response" in outcome) {
        yield* parseEvents(outcome.response, signal);
        return;
      }
      const { error } = outcome;
      if (signal?.aborted || !(error instanceof RequestFailure) || !error.retry || attempt >= maxRetries) throw toAgentError(error, signal);
      await sleep(error.retryAfterMs ?? backoffMs(attempt), signal);
    }
  }

  /** Sends the request; resolves with a 2xx response, rejects with a RequestFailure otherwise. */
  private async post(params: Anthropic.MessageStreamParams, signal: AbortSignal | undefined, url = messagesUrl(this.options.baseURL), hops = 0): Promise<IncomingMessage> {
    const { request } = url.protocol === "http:" ? await import("node:http") : await import("node:https");
    const proxy = this.options.env ? proxyFor(url, this.options.env) : undefined;
    const through = proxy ? await viaProxy(url, proxy) : {};
    const body = JSON.stringify({ ...params, stream: true });
    const headers: Record<string, string> = {
      accept: "application/json",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "anthropic-version": apiVersion,
      "user-agent": this.options.userAgent ?? "agent",
    };
    if (this.options.apiKey) headers["x-api-key"] = this.options.apiKey;
    if (this.options.authToken) headers.authorization = `Bearer ${this.options.authToken}`;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", headers: { ...headers, ...through.headers }, ...through.options, ...(signal ? { signal } : {}) }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          const to = new URL(res.headers.location, url);
          // 307/308 keep the method and body; the credentials go only where they were meant to go
          const follow = (status === 307 || status === 308) && hops < 5 && (to.origin === url.origin || (url.protocol === "http:" && to.protocol === "https:" && to.hostname === url.hostname));
          if (follow) return resolve(this.post(params, signal, to, hops + 1));
          return reject(new RequestFailure(`the model API at ${url.origin} redirects to ${to.origin}${to.pathname} (HTTP ${status}); set ANTHROPIC_BASE_URL to the new address`, { status, retry: false }));
        }
        readText(res).then(
          (text) => reject(RequestFailure.fromResponse(status, res.headers, text)),
          (error: unknown) => reject(new RequestFailure(`the model API answered HTTP ${status}, then the connection failed: ${String(error)}`, { status, retry: true })),
        );
      });
      req.setTimeout(this.options.timeoutMs ?? 600_000, () => req.destroy(new RequestFailure("the model API sent nothing in time", { retry: true, timeout: true })));
      req.on("error", (error) => reject(error instanceof RequestFailure ? error : new RequestFailure(`cannot reach the model API at ${url.origin}: ${error.message}`, { retry: !signal?.aborted, cause: error })));
      req.end(body);
    });
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
async function viaProxy(url: URL, proxy: URL): Promise<{ options?: Record<string, unknown>; headers?: Record<string, string> }> {
  const auth: Record<string, string> = proxy.username ? { "proxy-authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}` } : {};
  const proxyPort = Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80));
  if (url.protocol === "http:") return { options: { host: proxy.hostname, port: proxyPort, path: url.href, agent: false }, headers: { host: url.host, ...auth } };
  const [{ request: proxyRequest }, { connect }, { isIP }] = await Promise.all([proxy.protocol === "https:" ? import("node:https") : import("node:http"), import("node:tls"), import("node:net")]);
  const target = `${url.hostname}:${url.port || 443}`;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const createConnection = (_options: unknown, done: (error: Error | null, socket?: import("node:net").Socket) => void) => {
    const tunnel = proxyRequest({ host: proxy.hostname, port: proxyPort, method: "CONNECT", path: target, headers: { host: target, ...auth }, agent: false });
    tunnel.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(new RequestFailure(`the proxy ${proxy.host} refused to connect to ${target} (HTTP ${res.statusCode})`, { status: res.statusCode, retry: res.statusCode === 502 || res.statusCode === 503 || res.statusCode === 504 }));
      }
      // the certificate is checked against the API host; SNI carries a name, never an address
      done(null, connect({ socket, host, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ["http/1.1"] }));
    });
    tunnel.once("error", (error) => done(new RequestFailure(`cannot reach the proxy ${proxy.host}: ${error.message}`, { retry: true, cause: error })));
    tunnel.end();
  };
  return { options: { createConnection, agent: undefined } };
}

/** A request that failed before its stream began: why, the HTTP status if any, and whether to retry. */
class RequestFailure extends Error {
  readonly status: number | undefined;
  readonly retry: boolean;
  readonly retryAfterMs: number | undefined;
  readonly timeout: boolean;

  constructor(message: string, options: { status?: number; retry: boolean; retryAfterMs?: number; timeout?: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retry = options.retry;
    this.retryAfterMs = options.retryAfterMs;
    this.timeout = options.timeout ?? false;
  }

  static fromResponse(status: number, headers: IncomingMessage["headers"], text: string): RequestFailure {
    const should = headers["x-should-retry"];
    const retry = should === "true" ? true : should === "false" ? false : status === 408 || status === 409 || status === 429 || status >= 500;
    return new RequestFailure(apiErrorMessage(text) ?? (text.trim().slice(0, 300) || `HTTP ${status}`), { status, retry, retryAfterMs: retryAfter(headers) });
  }
}

/** The message of the API's error body ({"type":"error","error":{"type","message"}}), with its type. */
function apiErrorMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { type?: unknown; message?: unknown } };
    const { type, message } = body.error ?? {};
    if (typeof message !== "string") return undefined;
    return typeof type === "string" ? `${type}: ${message}` : message;
  } catch {
    return undefined;
  }
}

/** retry-after-ms, or retry-after in seconds or as a date: honoured when under a minute, as the SDK does. */
function retryAfter(headers: IncomingMessage["headers"]): number | undefined {
  const ms = Number.parseFloat(String(headers["retry-after-ms"] ?? ""));
  const header = headers["retry-after"];
  const seconds = Number.parseFloat(String(header ?? ""));
  const wait = !Number.isNaN(ms) ? ms : !Number.isNaN(seconds) ? seconds * 1000 : header ? Date.parse(String(header)) - Date.now() : Number.NaN;
  return wait >= 0 && wait < 60_000 ? wait : undefined;
}

/** 0.5 s doubling per attempt up to 8 s, less up to a quarter at random (the SDK's schedule). */
function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function messagesUrl(baseURL: string | undefined): URL {
  const base = (baseURL || "https://api.anthropic.com").replace(/\/+$/, "");
  try {
    return new URL(`${base}/v1/messages`);
  } catch {
    throw new AgentError("E_USAGE", `ANTHROPIC_BASE_URL is not a URL: "${baseURL}"`, { hint: "export ANTHROPIC_BASE_URL=https://gateway.example.com (or unset it)" });
  }
}

function toAgentError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof AgentError) return error;
  if (signal?.aborted) return new AgentError("E_ABORTED", "the session was cancelled", { cause: error });
  const status = error instanceof RequestFailure ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentError(error instanceof RequestFailure && error.timeout ? "E_TIMEOUT" : "E_MODEL", `the model API failed${status ? ` (HTTP ${status})` : ""}: ${message}`, {
    hint: "Check ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL and --model.",
    details: { status },
    cause: error,
  });
}

async function readText(res: IncomingMessage): Promise<string> {
  const body = await decoded(res);
  let text = "";
  for await (const chunk of body) if (text.length < 64 * 1024) text += chunk;
  return text;
}

/** The body as text, inflated when a gateway compressed it anyway (gzip, deflate, br), as fetch would. */
async function decoded(res: IncomingMessage): Promise<AsyncIterable<string>> {
  const encoding = String(res.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return res.setEncoding("utf8");
  const zlib = await import("node:zlib");
  const inflate = encoding === "gzip" || encoding === "x-gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : undefined;
  if (!inflate) throw new RequestFailure(`the model API answered with content-encoding "${encoding}", which agent cannot read`, { retry: false });
  res.on("error", (error) => inflate.destroy(error));
  inflate.on("close", () => res.destroy());
  return res.pipe(inflate).setEncoding("utf8");
}

/**
 * Server-sent events of a streaming response, parsed. `ping` is skipped; an `error` event (the API
 * overloaded mid-stream, say) fails the stream, as does a body that ends before `message_stop`.
 */
async function* parseEvents(res: IncomingMessage, signal: AbortSignal | undefined): AsyncGenerator<Anthropic.MessageStreamEvent> {
  let buffer = "";
  let stopped = false;
  try {
    for await (const chunk of await decoded(res)) {
      buffer += chunk;
      let end: number;
      while ((end = blankLine(buffer)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(buffer[end] === "\r" ? end + 4 : end + 2);
        const event = parseBlock(block);
        if (!event) continue;
        if (event.type === "error") throw new AgentError("E_MODEL", `the model API failed mid-stream: ${apiErrorMessage(event.data) ?? event.data}`, { hint: "Run the prompt again; the API may be overloaded." });
        if (event.type === "ping") continue;
        const parsed = parseJson(event.data) as Anthropic.MessageStreamEvent;
        yield parsed;
        if (parsed.type === "message_stop") stopped = true;
      }
    }
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw toAgentError(new RequestFailure(`the response stream broke: ${error instanceof Error ? error.message : String(error)}`, { retry: false, cause: error }), signal);
  }
  if (!stopped) throw toAgentError(new RequestFailure("the response stream ended before message_stop", { retry: false }), signal);
}

function blankLine(buffer: string): number {
  const lf = buffer.indexOf("\n\n");
  const crlf = buffer.indexOf("\r\n\r\n");
  return lf < 0 ? crlf : crlf < 0 ? lf : Math.min(lf, crlf);
}

function parseBlock(block: string): { type: string; data: string } | undefined {
  let type = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { type, data: data.join("\n") } : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AgentError("E_MODEL", `the model API sent an event that is not JSON: ${text.slice(0, 200)}`, { hint: "Check ANTHROPIC_BASE_URL: it must point at a Messages API." });
  }
}

type Block = Anthropic.ContentBlock & { text?: string; thinking?: string; signature?: string; citations?: unknown[] | null; input?: unknown };

/** Puts the message together from its events, as the SDK's MessageStream does. */
class MessageBuilder {
  private message: Anthropic.Message | undefined;
  /** the partial JSON of each tool_use block's input, by index */
  private readonly json = new Map<number, string>();
  private stopped = false;

  add(event: Anthropic.MessageStreamEvent): void {
    if (event.type === "message_start") {
      this.message = { ...event.message, content: [] };
      return;
    }
    const message = this.message;
    if (!message) throw new AgentError("E_MODEL", `the model API sent ${event.type} before message_start`, { hint: "Check ANTHROPIC_BASE_URL: it must point at a Messages API." });
    switch (event.type) {
      case "content_block_start":
        message.content[event.index] = { ...event.content_block } as Anthropic.ContentBlock;
        break;
      case "content_block_delta": {
        const block = message.content[event.index] as Block | undefined;
        if (!block) break;
        const delta = event.delta;
        if (delta.type === "text_delta") block.text = (block.text ?? "") + delta.text;
        else if (delta.type === "input_json_delta") this.json.set(event.index, (this.json.get(event.index) ?? "") + delta.partial_json);
        else if (delta.type === "thinking_delta") block.thinking = (block.thinking ?? "") + delta.thinking;
        else if (delta.type === "signature_delta") block.signature = delta.signature;
        else if (delta.type === "citations_delta") block.citations = [...(block.citations ?? []), delta.citation];
        break;
      }
      case "content_block_stop": {
        const block = message.content[event.index] as Block | undefined;
        const json = this.json.get(event.index);
        if (block && json !== undefined) {
          this.json.delete(event.index);
          const input = json.trim() === "" ? {} : parseJson(json);
          block.input = input;
        }
        break;
      }
      case "message_delta": {
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        const usage = event.usage as unknown as Record<string, unknown>;
        const into = message.usage as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) into[key] = value;
        break;
      }
      case "message_stop":
        this.stopped = true;
        break;
    }
  }

  finish(): Anthropic.Message {
    if (!this.message || !this.stopped) throw new AgentError("E_MODEL", "the model API's stream ended before the message did", { hint: "Run the prompt again." });
    return this.message;
  }
}
