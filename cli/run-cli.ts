import { Command, CommanderError, Option } from "commander";
import { AgentError, isAgentError, redact } from "../schemas/errors.js";
import type { CommandContext, CommandSpec, GlobalOptions } from "./command-spec.js";
import { loadCommandSpecs } from "./commands/index.js";
import { exitCodeFor, exitCodes } from "./exit-codes.js";
import { colorEnabled, makeStyle, toJson } from "./output.js";
import { version } from "./version.js";

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Runs one CLI invocation and returns its exit status. Used by bin/agent and in-process by tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command("agent");
  let status: number = exitCodes.ok;
  const globals = (): GlobalOptions => {
    const o = program.opts<{ json?: boolean; debug?: boolean; color?: boolean; home?: string; claudeHome?: string }>();
    return {
      json: Boolean(o.json),
      debug: Boolean(o.debug) || io.env.AGENT_DEBUG === "1",
      color: o.color !== false && colorEnabled(io.stdout, io.env),
      home: o.home,
      claudeHome: o.claudeHome ?? io.env.AGENT_CLAUDE_HOME,
    };
  };

  program
    .description("Install, publish and run Claude Code plugins: a plugin manager, a private registry and a sandboxed agent host.")
    .version(version, "-V, --version", "print the version")
    .option("--json", "print machine-readable JSON on stdout")
    .option("--debug", "print stack traces for errors")
    .option("--no-color", "disable colors (also NO_COLOR=1 or a non-TTY stdout)")
    .option("--home <dir>", "state directory (default: $AGENT_HOME or ~/.agent)")
    .option("--claude-home <dir>", "manage a Claude Code home (e.g. ~/.claude) instead of agent's own state")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  const groups = new Map<string, Command>();
  const groupFor = (path: string[]): Command => {
    let parent = program;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path.slice(0, i + 1).join(" ");
      let group = groups.get(key);
      if (!group) {
        group = parent.command(path[i]!).description(groupDescriptions[key] ?? "").exitOverride();
        if (groupAliases[key]) group.alias(groupAliases[key]!);
        groups.set(key, group);
      }
      parent = group;
    }
    return parent;
  };

  for (const spec of await reachableSpecs(argv)) {
    const cmd = groupFor(spec.path).command(spec.path.at(-1)!).description(spec.description).exitOverride();
    for (const alias of spec.aliases ?? []) cmd.alias(alias);
    for (const arg of spec.args ?? []) cmd.argument(arg);
    for (const o of spec.options ?? []) {
      const option = new Option(o.flags, o.description);
      if (o.choices) option.choices(o.choices as string[]);
      if (o.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      if (o.default !== undefined) option.default(o.default);
      cmd.addOption(option);
    }
    if (spec.json) cmd.option("--json", "print machine-readable JSON on stdout");
    if (spec.examples?.length) cmd.addHelpText("after", "\nExamples:\n" + spec.examples.map((e) => `  $ ${e}`).join("\n"));
    cmd.action(async (...params: unknown[]) => {
      status = await execute(spec, cmd, params, globals(), io);
    });
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return exitCodes.ok;
      if (error.code === "commander.executeSubCommandAsync") return exitCodes.failure;
      return exitCodes.usage;
    }
    return renderError(error, globals(), io);
  }
  return status;
}

/**
 * The commands `argv` can reach: those under its first word when that names a top-level command or
 * group, none for a bare `--version`, else all (help, and suggestions for a mistyped command, list
 * them). Each spec registered costs start-up time; most invocations need a few.
 */
async function reachableSpecs(argv: string[]): Promise<CommandSpec[]> {
  const word = firstWord(argv);
  const help = argv.includes("--help") || argv.includes("-h");
  if (word === undefined && !help && (argv.includes("--version") || argv.includes("-V"))) return [];
  const all = await loadCommandSpecs();
  const top = word === undefined ? undefined : (Object.entries(groupAliases).find(([, alias]) => alias === word)?.[0] ?? word);
  const reached = all.filter((spec) => spec.path[0] === top);
  return reached.length ? reached : all;
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

const groupDescriptions: Record<string, string> = {
  plugin: "install, manage, author and publish plugins",
  "plugin marketplace": "add, list, update and remove plugin marketplaces",
  registry: "run and administer a private plugin registry",
};
const groupAliases: Record<string, string> = { plugin: "plugins" };

async function execute(spec: CommandSpec, cmd: Command, params: unknown[], global: GlobalOptions, io: CliIo): Promise<number> {
  const options = cmd.opts();
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
