import { AgentError, redact } from "../../schemas/errors.js";
import { ProxyFailure } from "./http-proxy.js";
import { sendHttp, transportFailure, type HttpResponse } from "./http-request.js";
import { timeoutFor } from "./fetcher.js";
import type { FetchContext } from "./source.js";

export interface HttpGetOptions {
  headers?: Record<string, string> | undefined;
  /** bytes; a larger body is E_TOO_LARGE and is not read past the limit */
  maxBytes: number;
  /** what is being fetched, for messages ("marketplace", "archive") */
  what: string;
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
