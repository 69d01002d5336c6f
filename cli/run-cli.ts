import { AgentError, isAgentError, redact } from "../schemas/errors.js";
import type { CommandContext, CommandSpec, GlobalOptions } from "./command-spec.js";
import { commandIndex, loadCommandSpecs } from "./commands/index.js";
import { commandNamed, parsePlainArgv } from "./plain-argv.js";
import { exitCodeFor, exitCodes } from "./exit-codes.js";
import { colorEnabled, makeStyle, toJson } from "./output.js";

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Runs one CLI invocation and returns its exit status. Used by bin/agent and in-process by tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // a plain command line needs the spec of its command alone: the one parsePlainArgv would pick from them all
  const named = commandNamed(argv, commandIndex, groupAliases);
  const plain = named && parsePlainArgv(argv, await loadCommandSpecs([named]), groupAliases);
  if (plain) return execute(plain.spec, plain.options, plain.params, globalOptions(plain.globals, io), io);
  // help, --version, errors and suggestions: commander's
  const [specs, { runWithCommander }] = await Promise.all([reachableSpecs(argv), import("./commander-cli.js")]);
  return runWithCommander(argv, specs, io);
}

/** The program's options as commands see them, from the parsed flags and the environment. */
export function globalOptions(o: { json?: boolean; debug?: boolean; color?: boolean; home?: string; claudeHome?: string }, io: CliIo): GlobalOptions {
  return {
    json: Boolean(o.json),
    debug: Boolean(o.debug) || io.env.AGENT_DEBUG === "1",
    color: o.color !== false && colorEnabled(io.stdout, io.env),
    home: o.home,
    claudeHome: o.claudeHome ?? io.env.AGENT_CLAUDE_HOME,
  };
}

/**
 * The commands commander is given for `argv`: those under its first word when that names a top-level
 * command or group, none for a bare `--version`, else all (help, and suggestions for a mistyped command,
 * list them). Each spec registered costs start-up time.
 */
async function reachableSpecs(argv: string[]): Promise<CommandSpec[]> {
  const word = firstWord(argv);
  const help = argv.includes("--help") || argv.includes("-h");
  if (word === undefined && !help && (argv.includes("--version") || argv.includes("-V"))) return [];
  const top = word === undefined ? undefined : (Object.entries(groupAliases).find(([, alias]) => alias === word)?.[0] ?? word);
  const reached = commandIndex.filter((entry) => entry.path[0] === top);
  return loadCommandSpecs(reached.length ? reached : commandIndex);
}

/** The first argument that is neither an option nor the value of a global option that takes one. */
function firstWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return argv[i + 1];
    if (arg === "--home" || arg === "--claude-home") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

export const groupDescriptions: Record<string, string> = {
  plugin: "install, manage, author and publish plugins",
  "plugin marketplace": "add, list, update and remove plugin marketplaces",
  registry: "run and administer a private plugin registry",
};
export const groupAliases: Record<string, string> = { plugin: "plugins" };

/** Runs a parsed command: prints its result (text, or JSON with --json) or its error, and gives the exit status. */
export async function execute(spec: CommandSpec, options: Record<string, unknown>, params: unknown[], global: GlobalOptions, io: CliIo): Promise<number> {
  if (options.json) global = { ...global, json: true };
  const args: Record<string, string | string[] | undefined> = {};
  (spec.args ?? []).forEach((raw, i) => {
    const name = raw.replace(/[<>[\].]/g, "");
    args[name] = params[i] as string | string[] | undefined;
  });
  const style = makeStyle(global.color && !global.json);
  const ctx: CommandContext = {
    args,
    options,
    global,
    env: io.env,
    cwd: io.cwd,
    log: (line) => {
      if (!global.json) io.stderr.write(line + "\n");
    },
    interactive: !global.json && Boolean((io.stdin as NodeJS.ReadStream).isTTY) && Boolean((io.stdout as NodeJS.WriteStream).isTTY),
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
  };
  try {
    const result = await spec.run(ctx);
    if (result.streamed) return result.exitCode ?? exitCodes.ok;
    if (global.json) io.stdout.write(toJson(result.data));
    else if (result.text !== undefined) {
      const text = typeof result.text === "function" ? result.text(style) : result.text;
      if (text) io.stdout.write(text.endsWith("\n") ? text : text + "\n");
    } else io.stdout.write(toJson(result.data));
    return result.exitCode ?? exitCodes.ok;
  } catch (error) {
    return renderError(error, global, io);
  }
}

/** The one place errors are printed: text on stderr, or {error:{code,message,hint,details}} as JSON on stdout. */
export function renderError(error: unknown, global: GlobalOptions, io: CliIo): number {
  const agentError = isAgentError(error)
    ? error
    : new AgentError("E_INTERNAL", error instanceof Error ? error.message : String(error), {
        hint: "This is a bug in agent. Re-run with --debug and report the stack trace.",
        cause: error,
      });
  const message = redact(agentError.message);
  if (global.json) {
    io.stdout.write(toJson({ error: { ...agentError.toJSON(), message } }));
  } else {
    const style = makeStyle(global.color);
    io.stderr.write(`${style.fail} ${style.red(agentError.code)} ${message}\n`);
    if (agentError.hint) io.stderr.write(`  ${style.dim("hint:")} ${redact(agentError.hint)}\n`);
  }
  if (global.debug) {
    const stack = (agentError.cause instanceof Error ? agentError.cause.stack : undefined) ?? agentError.stack;
    if (stack) io.stderr.write(redact(stack) + "\n");
  }
  return exitCodeFor(agentError.code);
}
