import type { CommandSpec, OptionSpec } from "./command-spec.js";

/** What a command line asks for, as commander would give it: the command, its arguments and options. */
export interface ParsedArgv {
  spec: CommandSpec;
  /** one value per declared argument, as commander passes them to an action */
  params: unknown[];
  /** the command's options, by commander's camelCase name, defaults included */
  options: Record<string, unknown>;
  /** the program's own options given before the command */
  globals: { json?: true; debug?: true; color?: false; home?: string; claudeHome?: string };
}

/**
 * Parses a plain command line without commander: the words of one command (or its aliases), then its
 * arguments and options, each option declared by that command and given once (or repeatable), its value
 * one of its choices; the program's options before the command (--json anywhere). On anything else — help, --version,
 * `--`, an unknown or misplaced option, a missing or extra argument, combined short flags, a value that
 * starts with "-" — it returns undefined and commander parses the line, with its help, errors and
 * suggestions. Loading commander and declaring every command costs a command ~10 ms; most command lines
 * are plain. Where it returns a result it is commander's (test/cli/plain-argv.test.ts holds it to that).
 */
export function parsePlainArgv(argv: readonly string[], specs: readonly CommandSpec[], groupAliases: Readonly<Record<string, string>>): ParsedArgv | undefined {
  const lead = programOptions(argv);
  const spec = lead && commandAt(argv, lead.end, specs, groupAliases);
  if (!lead || !spec) return undefined;
  const { globals } = lead;
  let i = lead.end + spec.path.length;

  // an option this parser leaves to commander counts as unknown here: a line that uses it goes to commander
  const all = spec.options ?? [];
  if (all.some((o) => o.default !== undefined && !describeOption(o))) return undefined;
  const declared = all.map(describeOption).filter((o): o is OptionShape => o !== undefined);
  const options: Record<string, unknown> = {};
  for (const o of declared) if (o.default !== undefined) options[o.key] = o.default;
  const given = new Set<string>();
  const positional: string[] = [];
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || arg === "-") {
      if (arg === "-") return undefined;
      positional.push(arg);
      continue;
    }
    const [flag, inline] = splitInline(arg);
    if (flag === "--json" && inline === undefined) {
      // the program's option, wherever it stands (commander reads the program's options first)
      globals.json = true;
      continue;
    }
    const option = declared.find((o) => o.long === flag || o.short === flag);
    if (!option || (given.has(option.key) && !option.repeatable)) return undefined;
    given.add(option.key);
    if (!option.takesValue) {
      if (inline !== undefined) return undefined;
      options[option.key] = !option.negated;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("-") || (option.choices && !option.choices.includes(value))) return undefined;
    options[option.key] = option.repeatable ? [...((options[option.key] as string[] | undefined) ?? []), value] : value;
  }

  const params: unknown[] = [];
  for (const raw of spec.args ?? []) {
    const required = raw.startsWith("<");
    if (raw.endsWith("...>") || raw.endsWith("...]")) {
      if (required && positional.length === 0) return undefined;
      params.push(positional.splice(0));
    } else {
      const value = positional.shift();
      if (required && value === undefined) return undefined;
      params.push(value);
    }
  }
  if (positional.length) return undefined; // commander refuses excess arguments
  return { spec, params, options, globals };
}

/** What a command is known by: its words, and the aliases of its last word. */
export interface CommandWords {
  path: readonly string[];
  aliases?: readonly string[] | undefined;
}

/**
 * The command a plain command line names (parsePlainArgv's choice, made the same way from specs or from
 * anything else that has their words): the first of `commands` whose words, or aliases, follow the
 * program's own options. Undefined when those options are not plain.
 */
export function commandNamed<T extends CommandWords>(argv: readonly string[], commands: readonly T[], groupAliases: Readonly<Record<string, string>>): T | undefined {
  const lead = programOptions(argv);
  return lead && commandAt(argv, lead.end, commands, groupAliases);
}

function commandAt<T extends CommandWords>(argv: readonly string[], at: number, commands: readonly T[], groupAliases: Readonly<Record<string, string>>): T | undefined {
  return commands.find((c) => c.path.every((word, k) => argv[at + k] === word || (k === c.path.length - 1 ? c.aliases?.includes(argv[at + k]!) : groupAliases[c.path.slice(0, k + 1).join(" ")] === argv[at + k])));
}

/** The program's options before the command, and where the command starts; undefined for anything but plain ones. */
function programOptions(argv: readonly string[]): { globals: ParsedArgv["globals"]; end: number } | undefined {
  const globals: ParsedArgv["globals"] = {};
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith("-"); i++) {
    const [flag, inline] = splitInline(argv[i]!);
    if (flag === "--json" && inline === undefined) globals.json = true;
    else if (flag === "--debug" && inline === undefined) globals.debug = true;
    else if (flag === "--no-color" && inline === undefined) globals.color = false;
    else if (flag === "--home" || flag === "--claude-home") {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "" || value.startsWith("-")) return undefined;
      globals[flag === "--home" ? "home" : "claudeHome"] = value;
    } else return undefined;
  }
  return { globals, end: i };
}

interface OptionShape {
  key: string;
  long: string;
  short: string | undefined;
  takesValue: boolean;
  negated: boolean;
  repeatable: boolean;
  choices: readonly string[] | undefined;
  default: unknown;
}

/** An option's flags as commander reads them; undefined for what this parser leaves to commander (optional or variadic values). */
function describeOption(o: OptionSpec): OptionShape | undefined {
  const match = /^(?:(-[A-Za-z0-9]), )?(--[a-z0-9][a-z0-9-]*)(?: <([^>.]+)>)?$/.exec(o.flags);
  if (!match) return undefined;
  const [, short, long, value] = match;
  const negated = long!.startsWith("--no-");
  const name = negated ? long!.slice(5) : long!.slice(2);
  const key = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return {
    key,
    long: long!,
    short,
    takesValue: value !== undefined,
    negated,
    repeatable: Boolean(o.repeatable),
    choices: o.choices,
    default: o.default ?? (negated ? true : undefined),
  };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}
