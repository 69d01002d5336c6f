import type { IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type Anthropic from "@anthropic-ai/sdk";
import { AgentError } from "../../schemas/errors.js";
import { MessageBuilder, parseEvents, readText } from "./model-response.js";
import { RequestFailure, toAgentError } from "./model-errors.js";
import { ProxyFailure, proxiedRequest } from "../../registry/sources/http-proxy.js";

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
      await sleep(error.retryAfterMs ?? backoffMs(attempt), undefined, signal ? { signal } : {});
    }
  }

  /** Sends the request; resolves with a 2xx response, rejects with a RequestFailure otherwise. */
  private async post(params: Anthropic.MessageStreamParams, signal: AbortSignal | undefined, url = messagesUrl(this.options.baseURL), hops = 0): Promise<IncomingMessage> {
    const timeoutMs = this.options.timeoutMs ?? 600_000;
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
      const sending = proxiedRequest(url, { method: "POST", headers, env: this.options.env, timeoutMs, signal }, (res) => {
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
      sending.then((req) => {
        req.setTimeout(timeoutMs, () => req.destroy(new RequestFailure("the model API sent nothing in time", { retry: true, timeout: true })));
        req.on("error", (error) => {
          if (error instanceof RequestFailure) return reject(error);
          if (error instanceof ProxyFailure) return reject(new RequestFailure(error.message, { ...error.options, cause: error }));
          reject(new RequestFailure(`cannot reach the model API at ${url.origin}: ${error.message}`, { retry: !signal?.aborted, cause: error }));
        });
        req.end(body);
      }, reject);
    });
  }
}

/** 0.5 s doubling per attempt up to 8 s, less up to a quarter at random (the SDK's schedule). */
function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}

/** `<base>/v1/messages`; the base may carry a gateway's path prefix. */
function messagesUrl(baseURL: string | undefined): URL {
  const base = (baseURL || "https://api.anthropic.com").replace(/\/+$/, "");
  try {
    return new URL(`${base}/v1/messages`);
  } catch {
    throw new AgentError("E_USAGE", `ANTHROPIC_BASE_URL is not a URL: "${baseURL}"`, { hint: "export ANTHROPIC_BASE_URL=https://gateway.example.com (or unset it)" });
  }
}
