import { Command, CommanderError, Option } from "commander";
import type { CommandSpec } from "./command-spec.js";
import { exitCodes } from "./exit-codes.js";
import { execute, globalOptions, groupAliases, groupDescriptions, renderError, type CliIo } from "./run-cli.js";
import { agentVersion } from "./version.js";

/**
 * Parses a command line with commander and runs the command it names: what runCli does for a line that
 * is not plain (cli/plain-argv.ts) — help, --version, usage errors with suggestions.
 */
export async function runWithCommander(argv: string[], specs: readonly CommandSpec[], io: CliIo): Promise<number> {
  const { program, parsed } = commanderProgram(specs, io);
  const globals = () => globalOptions(program.opts(), io);
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
  const line = parsed();
  return line ? execute(line.spec, line.options, line.params, globals(), io) : exitCodes.ok;
}

/** The program with each spec declared; `parsed` gives the command a parse reached, its arguments and options. */
export function commanderProgram(specs: readonly CommandSpec[], io: Pick<CliIo, "stdout" | "stderr">): {
  program: Command;
  parsed: () => { spec: CommandSpec; params: unknown[]; options: Record<string, unknown> } | undefined;
} {
  const program = new Command("agent");
  let reached: { spec: CommandSpec; params: unknown[]; options: Record<string, unknown> } | undefined;
  program
    .description("Install, publish and run Claude Code plugins: a plugin manager, a private registry and a sandboxed agent host.")
    .version(agentVersion(), "-V, --version", "print the version")
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

  for (const spec of specs) {
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
    cmd.action((...params: unknown[]) => {
      reached = { spec, params: params.slice(0, spec.args?.length ?? 0), options: cmd.opts() };
    });
  }
  return { program, parsed: () => reached };
}
