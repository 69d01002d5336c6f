import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AgentError, isAgentError, type ErrorCode } from "../../schemas/errors.js";

const statusByCode: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  E_USAGE: 400,
  E_INVALID_MANIFEST: 400,
  E_INTEGRITY: 400,
  E_UNSAFE_ARCHIVE: 400,
  E_AUTH: 401,
  E_PERMISSION_DENIED: 403,
  E_NOT_FOUND: 404,
  E_CONFLICT: 409,
  E_TOO_LARGE: 413,
  E_TIMEOUT: 408,
};

/** An error a route throws on purpose, with the HTTP status it maps to. */
export function httpError(status: ContentfulStatusCode, code: ErrorCode, message: string, hint?: string, details: Record<string, unknown> = {}): AgentError {
  return new AgentError(code, message, { ...(hint ? { hint } : {}), details: { ...details, status } });
}

/** npm prints `error`; agent clients read code and hint. Unexpected errors never leak their text. */
export function renderError(error: unknown, c: Context): Response {
  if (!isAgentError(error) && isAbortedRequest(error)) {
    return c.json({ error: "The request was aborted or timed out before its body arrived", code: "E_TIMEOUT" }, 408);
  }
  if (!isAgentError(error)) {
    console.error(error);
    return c.json({ error: "Internal registry error", code: "E_INTERNAL" }, 500);
  }
  const status = (error.details.status as ContentfulStatusCode | undefined) ?? statusByCode[error.code] ?? 500;
  const { status: _status, ...details } = error.details;
  const headers: Record<string, string> = {};
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="agent-registry"';
  if (typeof details.retryAfter === "number") headers["retry-after"] = String(details.retryAfter);
  return c.json({ error: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}), details }, status, headers);
}

function isAbortedRequest(error: unknown): boolean {
  const e = error as { code?: string; message?: string; name?: string };
  return e?.code === "ECONNRESET" || e?.message === "aborted" || e?.name === "AbortError";
}
