import { spawn } from "node:child_process";
import { AgentError, redact } from "../../schemas/errors.js";
import { gitErrorFor } from "./git-error.js";

export interface GitRunOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  cwd?: string;
  signal?: AbortSignal;
  /**
   * A token sent as HTTP basic auth to `tokenUrl`'s host only. It travels in GIT_CONFIG_* environment
   * variables (not argv, not a file), so it never shows in `ps`, in .git/config or in an error.
   */
  token?: { value: string; url: string };
}

/**
 * Runs one git command without ever prompting (GIT_TERMINAL_PROMPT=0, ssh BatchMode), honouring the
 * user's own git config and credential helpers, bounded by a timeout that kills the whole process
 * group. Returns stdout; failures become AgentErrors (E_GIT, E_REF_NOT_FOUND, E_NETWORK, E_AUTH,
 * E_TIMEOUT) with the redacted stderr as evidence.
 */
export function runGit(args: string[], options: GitRunOptions): Promise<string> {
  const env = gitEnv(options);
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new AgentError("E_GIT", `git could not be started: ${error.message}`, { hint: "Install git and make sure it is on PATH.", cause: error }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      const command = `git ${redact(args.join(" "))}`;
      if (timedOut) {
        reject(new AgentError("E_TIMEOUT", `${command} timed out after ${options.timeoutMs} ms`, {
          hint: "Check that the host is reachable, or raise AGENT_FETCH_TIMEOUT_MS.",
          details: { command, timeoutMs: options.timeoutMs },
        }));
      } else if (options.signal?.aborted) {
        reject(new AgentError("E_ABORTED", `${command} was interrupted`));
      } else if (code !== 0) {
        reject(gitErrorFor(command, scrub(stderr, options.token?.value)));
      } else resolve(stdout);
    });
  });
}

function scrub(text: string, secret: string | undefined): string {
  const clean = secret ? text.split(secret).join("***") : text;
  return redact(clean).trim();
}

export function gitEnv(options: Pick<GitRunOptions, "env" | "token">): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_SSH_COMMAND: options.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes -o ConnectTimeout=30",
    LC_ALL: "C",
  };
  if (options.token) {
    const count = Number.parseInt(options.env.GIT_CONFIG_COUNT ?? "0", 10) || 0;
    const basic = Buffer.from(`x-access-token:${options.token.value}`).toString("base64");
    env[`GIT_CONFIG_KEY_${count}`] = `http.${originOf(options.token.url)}/.extraHeader`;
    env[`GIT_CONFIG_VALUE_${count}`] = `Authorization: Basic ${basic}`;
    env.GIT_CONFIG_COUNT = String(count + 1);
  }
  return env;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
