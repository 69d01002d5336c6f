import { pluginProcessSpec } from "../plugin-env/plugin-process-spec-for.js";
import { stopPluginProcess } from "../plugin-env/stop-plugin-process.js";
import { spawnPluginProcess } from "../sandbox/spawn-plugin-process.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";

export interface HookRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

const maxCapture = 1_000_000;

/**
 * One hook command in the plugin sandbox: `sh -c <command>` (or the exec form, command + args, without
 * a shell), the event JSON on stdin, the workspace readable, killed after `timeoutMs` or on abort.
 */
export async function runHookCommand(
  plugin: LoadedPlugin,
  env: SessionEnvironment,
  command: { command: string; args?: string[]; shell?: "bash" | "powershell" },
  stdin: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HookRun> {
  const argv = command.args ? { command: command.command, args: command.args } : { command: command.shell === "bash" ? "bash" : "sh", args: ["-c", command.command] };
  const child = await spawnPluginProcess(pluginProcessSpec(plugin, env, { ...argv, minimumWorkspace: "read" }));
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  let aborted = false;
  child.stdout!.on("data", (d: Buffer) => void (stdout.length < maxCapture && (stdout += d.toString())));
  child.stderr!.on("data", (d: Buffer) => void (stderr.length < maxCapture && (stderr += d.toString())));
  child.stdin!.on("error", () => {}); // a hook may exit without reading its input
  child.stdin!.end(stdin);

  const timer = setTimeout(() => {
    timedOut = true;
    void stopPluginProcess(child, 0);
  }, timeoutMs);
  const onAbort = () => {
    aborted = true;
    void stopPluginProcess(child, 0);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });

  const exitCode = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("close", (code) => resolve(code));
  });
  clearTimeout(timer);
  signal.removeEventListener("abort", onAbort);
  return { exitCode, stdout, stderr, timedOut, aborted };
}
