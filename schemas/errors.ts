/**
 * Every user-facing failure is an AgentError with a stable code. Codes are never renamed:
 * scripts match on them. The CLI maps each code to an exit status (cli/exit-codes.ts).
 */
export const errorCodes = [
  "E_USAGE", // bad flag or argument
  "E_INVALID_MANIFEST", // plugin.json / marketplace.json / hooks.json … does not parse or validate
  "E_NOT_FOUND", // plugin, marketplace or file that does not exist
  "E_AMBIGUOUS", // a name that matches more than one thing
  "E_ALREADY_EXISTS", // a name already in use (marketplace add without --force)
  "E_CYCLE",
  "E_RANGE_CONFLICT",
  "E_INVALID_RANGE",
  "E_CROSS_MARKETPLACE",
  "E_NO_MATCHING_VERSION",
  "E_POLICY_BLOCKED",
  "E_INTEGRITY",
  "E_REF_NOT_FOUND",
  "E_GIT",
  "E_NETWORK",
  "E_TIMEOUT",
  "E_HTTP",
  "E_TOO_LARGE",
  "E_UNSAFE_ARCHIVE",
  "E_UNSUPPORTED_SOURCE",
  "E_IN_USE", // something still depends on / is installed from the thing being removed
  "E_NOT_INSTALLED",
  "E_FROZEN_MISMATCH",
  "E_LOCKED",
  "E_CONFIG", // userConfig value invalid
  "E_KEYCHAIN",
  "E_SANDBOX_UNAVAILABLE",
  "E_PERMISSION_DENIED",
  "E_AUTH", // 401/403 from a registry
  "E_CONFLICT", // 409 from a registry: version already published
  "E_REGISTRY",
  "E_MODEL", // model API failure
  "E_ABORTED",
  "E_PLUGIN_PROCESS", // a plugin's process (MCP or LSP server, hook) failed to start or answer
  "E_INTERNAL",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AgentErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AgentError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string; details: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      details: this.details,
    };
  }
}

export function isAgentError(value: unknown): value is AgentError {
  return value instanceof AgentError;
}

/** Replaces anything that looks like a credential in a string meant for a user or a log. */
export function redact(text: string): string {
  return text
    .replace(/(\/\/)([^/@\s:]+)(:[^/@\s]*)?@/g, "$1***@")
    .replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|npm_[A-Za-z0-9]{20,})\b/g, "***")
    .replace(/(authorization:\s*(?:bearer|basic)\s+)\S+/gi, "$1***")
    .replace(/([?&](?:token|access_token|auth)=)[^&\s]+/gi, "$1***")
    .replace(/(_authToken=)\S+/g, "$1***");
}
