import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli } from "../../cli/run-cli.js";

export interface AgentRun {
  status: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** Runs the CLI in-process (fast) with its own env and cwd. */
export async function agent(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): Promise<AgentRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const status = await runCli(args, {
    stdin,
    stdout,
    stderr,
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { status, stdout: out, stderr: err, json: () => JSON.parse(out) };
}

export const builtCli = fileURLToPath(new URL("../../dist/cli/main.cjs", import.meta.url));

/** Runs the built CLI (dist/) as a real process: for crash, signal and start-up tests. */
export function agentProcess(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string; timeoutMs?: number } = {}): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCli, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...options.env },
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 60_000,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ status: code ?? (signal ? 128 : 1), stdout: out, stderr: err, json: () => JSON.parse(out) }),
    );
    child.stdin.end(options.stdin ?? "");
  });
}
