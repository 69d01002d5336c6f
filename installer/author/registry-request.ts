import { proxyFor } from "../../registry/sources/http-proxy.js";
import { readBody, sendHttp, transportFailure, type HttpResponse } from "../../registry/sources/http-request.js";
import { AgentError, redact } from "../../schemas/errors.js";

export interface RegistryResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One JSON request to an npm-compatible registry, bounded by AGENT_FETCH_TIMEOUT_MS (default 120 s),
 * through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY lists the registry's host (as npm does).
 * 401/403 become E_AUTH, 409 E_CONFLICT, other failures E_REGISTRY, E_NETWORK or E_TIMEOUT; the
 * registry's own `error` text is kept as evidence, tokens never are.
 */
export async function registryRequest(url: string, init: { method: string; token?: string | undefined; body?: unknown; env: NodeJS.ProcessEnv; what: string }): Promise<RegistryResponse> {
  const headers: Record<string, string> = { accept: "application/json", "npm-command": "publish" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const timeoutMs = Number.parseInt(init.env.AGENT_FETCH_TIMEOUT_MS ?? "", 10) || 120_000;
  let response: HttpResponse;
  let text: string;
  try {
    const body = init.body !== undefined ? JSON.stringify(init.body) : undefined;
    response = await sendHttp(new URL(url), { method: init.method, headers, body }, init.env, timeoutMs, AbortSignal.timeout(timeoutMs));
    text = await readBody(response);
  } catch (error) {
    if (error instanceof AgentError) throw error; // a proxy URL that is not a URL (E_USAGE)
    const failure = transportFailure(error);
    const timedOut = failure.kind === "timeout";
    const proxied = proxyFor(new URL(url), init.env) !== undefined;
    throw new AgentError(timedOut ? "E_TIMEOUT" : "E_NETWORK", `Could not reach the registry at ${redact(new URL(url).origin)} to ${init.what}: ${timedOut ? "timed out" : failure.detail}`, {
      hint: timedOut ? "Raise AGENT_FETCH_TIMEOUT_MS or check the registry." : `Check the registry URL and that it is running${proxied ? ", and HTTPS_PROXY / HTTP_PROXY (or list the host in NO_PROXY)" : ""}.`,
      details: { url: redact(url) },
    });
  }
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { error: text.slice(0, 200) };
  }
  if (response.status >= 200 && response.status < 300) return { status: response.status, body };
  const said = String((body.error as { message?: string } | undefined)?.message ?? body.error ?? body.message ?? response.statusText);
  const details = { url: redact(url), status: response.status, registry: redact(said) };
  if (response.status === 401 || response.status === 403) {
    throw new AgentError("E_AUTH", `The registry refused to ${init.what} (HTTP ${response.status}): ${redact(said)}`, { hint: `Log in first: agent login --registry ${new URL(url).origin}/`, details });
  }
  if (response.status === 409) throw new AgentError("E_CONFLICT", `The registry refused to ${init.what}: ${redact(said)}`, { hint: "A published version is immutable: bump the version in plugin.json and publish again.", details });
  throw new AgentError("E_REGISTRY", `The registry failed to ${init.what} (HTTP ${response.status}): ${redact(said)}`, { hint: "Check the registry's log, then retry.", details });
}
