import fc from "fast-check";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CommandSpec } from "../../cli/command-spec.js";
import { commanderProgram } from "../../cli/commander-cli.js";
import { commandIndex, loadCommandSpecs } from "../../cli/commands/index.js";
import { commandNamed, parsePlainArgv } from "../../cli/plain-argv.js";
import { groupAliases } from "../../cli/run-cli.js";

const specs = await loadCommandSpecs();

/** What commander makes of a command line: the command reached, its arguments, options and the program's options; undefined when it refuses it. */
async function commander(argv: string[]) {
  const sink = new PassThrough();
  sink.resume();
  const { program, parsed } = commanderProgram(specs, { stdout: sink, stderr: sink });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch {
    return undefined;
  }
  const line = parsed();
  return line && { ...line, globals: program.opts() };
}

const word = fc.constantFrom("a@m", "x", "./dir", "owner/repo", "https://h/x.git", "1", "user", "-", "--", "-x", "");
function argvFor(spec: CommandSpec): fc.Arbitrary<string[]> {
  const path = fc.constant(spec.path).chain((p) =>
    fc.tuple(...p.map((w, k) => fc.constantFrom(w, ...(k === p.length - 1 ? (spec.aliases ?? []) : groupAliases[p.slice(0, k + 1).join(" ")] ? [groupAliases[p.slice(0, k + 1).join(" ")]!] : [])))),
  );
  const flags = [...(spec.options ?? []).flatMap((o) => o.flags.split(/,\s*|\s+/).filter((f) => f.startsWith("-"))), "--json", "--help", "-h", "--debug", "--unknown", "-V"];
  const values = fc.oneof(word, fc.constantFrom("user", ...(spec.options ?? []).flatMap((o) => o.choices ?? [])));
  const option = fc.oneof(
    fc.tuple(fc.constantFrom(...flags), values).map(([f, v]) => [f, v]),
    fc.tuple(fc.constantFrom(...flags), values).map(([f, v]) => [`${f}=${v}`]),
    fc.constantFrom(...flags).map((f) => [f]),
  );
  const globals = fc.subarray([["--json"], ["--debug"], ["--no-color"], ["--home", "/h"], ["--claude-home=/c"]]).map((g) => g.flat());
  return fc.tuple(globals, path, fc.array(fc.oneof(option, word.map((w) => [w])), { maxLength: 5 })).map(([g, p, rest]) => [...g, ...p, ...rest.flat()]);
}

describe("the command index (cli/commands/index.ts)", () => {
  it("names every command by its spec's own words, in the same order", () => {
    expect(commandIndex.map((entry) => ({ path: entry.path, aliases: entry.aliases }))).toEqual(specs.map((spec) => ({ path: spec.path, aliases: spec.aliases })));
  });
});

describe("plain command lines (cli/plain-argv.ts)", () => {
  it("parse as commander parses them, or are left to commander", async () => {
    let plain = 0;
    for (const spec of specs) {
      await fc.assert(
        fc.asyncProperty(argvFor(spec), async (argv) => {
          const fast = parsePlainArgv(argv, specs, groupAliases);
          // the CLI loads only the spec the command index names, and parses with it alone: the same outcome
          const named = commandNamed(argv, commandIndex, groupAliases);
          const alone = named && parsePlainArgv(argv, await loadCommandSpecs([named]), groupAliases);
          expect(alone && { ...alone, spec: alone.spec.path }).toEqual(fast && { ...fast, spec: fast.spec.path });
          if (!fast) return;
          plain++;
          const slow = await commander(argv);
          expect(slow, `commander refuses ${JSON.stringify(argv)}`).toBeDefined();
          expect(fast.spec.path).toEqual(slow!.spec.path);
          expect(fast.params).toEqual(slow!.params);
          expect(fast.options).toEqual(slow!.options);
          expect({ json: false, debug: false, color: true, ...fast.globals }).toEqual({ json: false, debug: false, color: true, ...slow!.globals });
        }),
        { numRuns: 300 },
      );
    }
    expect(plain).toBeGreaterThan(specs.length * 10);
  });

  it("include the everyday ones", () => {
    for (const argv of [
      ["plugin", "install", "app@bench-mkt"],
      ["plugins", "i", "a@m", "b@m", "--scope", "project", "-y", "--config", "k=1", "--config", "j=2"],
      ["--home", "/tmp/h", "plugin", "list", "--json"],
      ["plugin", "marketplace", "add", "./market"],
      ["plugin", "uninstall", "a@m", "--keep-data"],
      ["run", "say", "hello", "--no-sandbox"],
    ]) {
      expect(parsePlainArgv(argv, specs, groupAliases), argv.join(" ")).toBeDefined();
    }
    expect(parsePlainArgv(["plugin", "install", "a@m", "--scope", "galaxy"], specs, groupAliases)).toBeUndefined();
    expect(parsePlainArgv(["plugin", "instal", "a@m"], specs, groupAliases)).toBeUndefined();
    expect(parsePlainArgv(["plugin", "install", "--help"], specs, groupAliases)).toBeUndefined();
  });
});
