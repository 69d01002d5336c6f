/** How ModelClient's failures are classified (retry or not) and reported (E_MODEL, E_TIMEOUT, E_ABORTED). */
import type { IncomingMessage } from "node:http";
import { AgentError } from "../../schemas/errors.js";

/** A request that failed before its stream began: why, the HTTP status if any, and whether to retry. */
export class RequestFailure extends Error {
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
export function apiErrorMessage(text: string): string | undefined {
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

/** Any failure of a model request as the AgentError a user sees: the API's words, the HTTP status, a hint. */
export function toAgentError(error: unknown, signal: AbortSignal | undefined): unknown {
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
