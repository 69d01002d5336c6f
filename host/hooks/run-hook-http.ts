import { readBody, sendHttp } from "../../registry/sources/http-request.js";
import { substituteVariables } from "../plugin-env/substitute-variables.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import type { HookRun } from "./run-hook-command.js";

export interface HttpHook {
  url: string;
  headers?: Record<string, string>;
  allowedEnvVars?: string[];
}

/** Whether the plugin's approved network permission reaches this host ("full", or an allowlist entry). */
export function networkAllows(plugin: LoadedPlugin, host: string): boolean {
  const network = plugin.permissions?.network;
  if (network === "full") return true;
  if (network === undefined || network === "none") return false;
  return network.allow.some((entry) => (entry.startsWith("*.") ? host.endsWith(entry.slice(1)) : host === entry));
}

/**
 * An http hook: the event JSON POSTed to the URL; a 2xx body is read like a command's stdout (exit 0),
 * anything else is a non-blocking error. The request leaves from the host, so it is only made when the
 * plugin's approved network permission covers the URL's host. Headers expand `${VAR}` only for names
 * in both `allowedEnvVars` and the plugin's `permissions.env`. It goes through HTTPS_PROXY / HTTP_PROXY
 * (unless NO_PROXY lists the host), and never follows a redirect, which could leave the permitted hosts.
 */
export async function runHookHttp(plugin: LoadedPlugin, env: SessionEnvironment, hook: HttpHook, body: string, timeoutMs: number, signal: AbortSignal): Promise<HookRun> {
  const url = new URL(substituteVariables(hook.url, plugin, env, { what: "http hook" }));
  if (!networkAllows(plugin, url.hostname))
    return { exitCode: 1, stdout: "", stderr: `${url.hostname} is outside the plugin's approved network permission; the request was not sent`, timedOut: false, aborted: false };
  const allowed = new Set((hook.allowedEnvVars ?? []).filter((name) => plugin.permissions?.env?.includes(name)));
  const hostEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => allowed.has(name)));
  const scoped = { ...plugin, permissions: { ...plugin.permissions, env: [...allowed] } };
  const headers = Object.fromEntries(Object.entries(hook.headers ?? {}).map(([k, v]) => [k, substituteVariables(v, scoped, env, { what: "http hook", hostEnv })]));
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const request = { method: "POST", headers: { "content-type": "application/json", ...headers }, body, redirect: "manual" as const };
    const response = await sendHttp(url, request, process.env, timeoutMs, AbortSignal.any([signal, timeout]));
    const text = await readBody(response);
    if (response.status >= 200 && response.status < 300) return { exitCode: 0, stdout: text, stderr: "", timedOut: false, aborted: false };
    if (response.status >= 300 && response.status < 400) return { exitCode: 1, stdout: "", stderr: `HTTP ${response.status}: http hooks do not follow redirects`, timedOut: false, aborted: false };
    return { exitCode: 1, stdout: "", stderr: `HTTP ${response.status}${text ? ` ${text.split("\n")[0]}` : ""}`, timedOut: false, aborted: false };
  } catch (error) {
    if (timeout.aborted) return { exitCode: null, stdout: "", stderr: "", timedOut: true, aborted: false };
    if (signal.aborted) return { exitCode: null, stdout: "", stderr: "", timedOut: false, aborted: true };
    return { exitCode: 1, stdout: "", stderr: (error as Error).message, timedOut: false, aborted: false };
  }
}
