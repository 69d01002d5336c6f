import type { ErrorCode } from "../schemas/errors.js";

/**
 * The one table that turns an error code into a process exit status (documented in README.md).
 *   0 success · 1 failure of the operation · 2 usage error · 3 not found · 4 policy or permission
 *   5 conflict (dependencies, versions, names) · 6 integrity or unsafe input · 7 network, git or registry
 *   8 sandbox or keychain unavailable · 130 interrupted
 */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  policy: 4,
  conflict: 5,
  integrity: 6,
  network: 7,
  environment: 8,
  interrupted: 130,
} as const;

const byCode: Partial<Record<ErrorCode, number>> = {
  E_USAGE: exitCodes.usage,
  E_NOT_FOUND: exitCodes.notFound,
  E_NOT_INSTALLED: exitCodes.notFound,
  E_REF_NOT_FOUND: exitCodes.notFound,
  E_POLICY_BLOCKED: exitCodes.policy,
  E_PERMISSION_DENIED: exitCodes.policy,
  E_AUTH: exitCodes.policy,
  E_CYCLE: exitCodes.conflict,
  E_RANGE_CONFLICT: exitCodes.conflict,
  E_INVALID_RANGE: exitCodes.conflict,
  E_CROSS_MARKETPLACE: exitCodes.conflict,
  E_NO_MATCHING_VERSION: exitCodes.conflict,
  E_AMBIGUOUS: exitCodes.conflict,
  E_ALREADY_EXISTS: exitCodes.conflict,
  E_IN_USE: exitCodes.conflict,
  E_CONFLICT: exitCodes.conflict,
  E_FROZEN_MISMATCH: exitCodes.conflict,
  E_INTEGRITY: exitCodes.integrity,
  E_UNSAFE_ARCHIVE: exitCodes.integrity,
  E_TOO_LARGE: exitCodes.integrity,
  E_NETWORK: exitCodes.network,
  E_TIMEOUT: exitCodes.network,
  E_HTTP: exitCodes.network,
  E_GIT: exitCodes.network,
  E_REGISTRY: exitCodes.network,
  E_MODEL: exitCodes.network,
  E_SANDBOX_UNAVAILABLE: exitCodes.environment,
  E_KEYCHAIN: exitCodes.environment,
  E_LOCKED: exitCodes.environment,
  E_ABORTED: exitCodes.interrupted,
};

export function exitCodeFor(code: ErrorCode): number {
  return byCode[code] ?? exitCodes.failure;
}
