import type { KeyObject } from "node:crypto";
import type { FailedAuthLimiter } from "./auth/rate-limit.js";
import type { Storage, TokenRecord } from "./storage/storage.js";

export interface RegistryLimits {
  /** largest request body (a publish carries the tarball, base64): bigger is 413 */
  maxBodyBytes: number;
  /** failed authentications per address within authFailureWindowMs before 429 */
  authFailureLimit: number;
  authFailureWindowMs: number;
}

export interface RegistryDeps {
  storage: Storage;
  /** every read needs a token */
  private: boolean;
  /** signs /marketplace.json; its signature is served at /marketplace.json.sig */
  signingKey?: KeyObject;
  /** external URL of the registry; by default taken from each request's Host */
  publicUrl?: string;
  marketplaceName: string;
  limits: RegistryLimits;
  limiter: FailedAuthLimiter;
}

export interface RegistryEnv {
  Variables: {
    deps: RegistryDeps;
    /** the verified token of the request, if it carried one */
    auth: TokenRecord | undefined;
    /** client address, for rate limits and the audit log */
    ip: string;
  };
}

export const defaultLimits: RegistryLimits = { maxBodyBytes: 25 * 1024 * 1024, authFailureLimit: 20, authFailureWindowMs: 60_000 };
