import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { AgentError } from "../../schemas/errors.js";
import { keychainHelperScript } from "./keychain-helper-script.js";

export type KeychainOp = "get" | "set" | "delete" | "list" | "delete-prefix" | "probe";

export interface KeychainReply {
  ok: boolean;
  value?: string;
  deleted?: boolean;
  keys?: string[];
  error?: string;
}

export interface KeychainCallOptions {
  /** environment of the helper (DBUS_SESSION_BUS_ADDRESS decides which bus it talks to) */
  env?: NodeJS.ProcessEnv;
  /** default 3000 ms; the helper is SIGKILLed after it */
  timeoutMs?: number;
}

export const keychainTimeoutMs = 3000;
const keyringModule = createRequire(import.meta.url).resolve("@napi-rs/keyring");

/**
 * Runs one keychain operation in a child node process with a timeout. Rejects with E_KEYCHAIN
 * (the library's own message, never the secret) when the keychain fails or does not answer.
 */
export function runKeychainHelper(op: KeychainOp, service: string, name: string, secret: string | undefined, options: KeychainCallOptions = {}): Promise<KeychainReply> {
  const timeout = options.timeoutMs ?? keychainTimeoutMs;
  const env = { ...(options.env ?? process.env) };
  delete env.NODE_OPTIONS; // no preloads in the helper
  delete env.NODE_EXTRA_CA_CERTS; // ~30 ms per start, and the helper makes no TLS connections
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["-e", keychainHelperScript, keyringModule, op, service, name],
      { env, timeout, killSignal: "SIGKILL", encoding: "utf8", maxBuffer: 1 << 20 },
      (error, stdout) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        let reply: KeychainReply | undefined;
        try {
          reply = line ? (JSON.parse(line) as KeychainReply) : undefined;
        } catch {
          reply = undefined;
        }
        if (reply?.ok) return resolve(reply);
        const killed = error && (error as { killed?: boolean }).killed;
        const why = killed
          ? `the keychain did not answer within ${timeout} ms (a D-Bus peer that accepts but never replies?)`
          : (reply?.error ?? `the keychain helper failed (${error?.message.split("\n")[0] ?? "no reply"})`);
        reject(new AgentError("E_KEYCHAIN", `Keychain ${op} failed: ${scrub(why, secret)}`, { details: { op, service, timedOut: Boolean(killed) } }));
      },
    );
    child.stdin!.on("error", () => {}); // the helper may be killed before it reads
    child.stdin!.end(secret ?? "");
  });
}

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("***") : text;
}
