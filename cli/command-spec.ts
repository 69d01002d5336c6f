/**
 * A CLI command is a small declarative spec plus a `run` that returns data. Specs import nothing
 * heavy at module load: `run` imports the layer it needs lazily, so `agent --version` stays fast.
 */
export interface OptionSpec {
  /** commander flags, e.g. "--scope <scope>" or "-y, --yes" */
  flags: string;
  description: string;
  default?: string | boolean | string[];
  /** choices for a value option */
  choices?: readonly string[];
  /** repeatable value option ("--config a=1 --config b=2") */
  repeatable?: boolean;
}

export interface CommandSpec<Result = unknown> {
  /** words after `agent`, e.g. ["plugin", "validate"] */
  path: string[];
  aliases?: string[];
  /** positional arguments in commander syntax, e.g. ["<path>"] or ["[ids...]"] */
  args?: string[];
  description: string;
  options?: OptionSpec[];
  /** also accepts --json (every listing or reporting command) */
  json?: boolean;
  /** example lines shown in --help and README */
  examples?: string[];
  run(ctx: CommandContext): Promise<CommandResult<Result>>;
}

export interface CommandResult<Result = unknown> {
  /** what --json prints */
  data: Result;
  /** what a person sees (stdout); defaults to a JSON rendering of data */
  text?: string | ((style: Style) => string);
  /** 0 unless the command reports a failure it did not throw (e.g. validation errors) */
  exitCode?: number;
  /** the command already wrote its output as it went (e.g. `agent run` streaming JSON lines): print nothing more */
  streamed?: boolean;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  ok: string;
  fail: string;
  warn: string;
  bullet: string;
}

export interface CommandContext {
  /** positional arguments by name */
  args: Record<string, string | string[] | undefined>;
  /** parsed options by commander's camelCase name */
  options: Record<string, unknown>;
  /** global options */
  global: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** progress and log lines (stderr); silent under --json */
  log(line: string): void;
  /** true when stdin and stdout are terminals and --json is off */
  interactive: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface GlobalOptions {
  json: boolean;
  debug: boolean;
  color: boolean;
  /** state directory (AGENT_HOME or ~/.agent, or a Claude Code home with --claude-home) */
  home?: string;
  claudeHome?: string;
}
