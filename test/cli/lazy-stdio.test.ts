import { spawn, spawnSync } from "node:child_process";
import { openSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtCli } from "../support/run-agent.js";

/** cli/lazy-stdio.cts, as the bin loads it (it is CommonJS, beside dist/cli/main.cjs). */
const lazyStdio = join(dirname(builtCli), "lazy-stdio.cjs");
const node = (script: string, stdio: Parameters<typeof spawnSync>[2] = {}) =>
  spawnSync(process.execPath, ["-e", `const { lazyStdio, lazyStdin, isTerminal } = require(${JSON.stringify(lazyStdio)});\n${script}`], { encoding: "utf8", timeout: 30_000, ...stdio });

describe("the bin's stdout and stderr (cli/lazy-stdio.cts)", () => {
  it("tells a terminal from a pipe, a file and the null device", () => {
    const piped = node(`console.log(JSON.stringify([isTerminal(0), isTerminal(1), isTerminal(2)]))`);
    expect(piped.stdout.trim()).toBe("[false,false,false]");
    const devNull = node(`process.stderr.write(JSON.stringify([isTerminal(0), isTerminal(1)]))`, { stdio: [openSync("/dev/null", "r"), openSync("/dev/null", "w"), "pipe"] });
    expect(devNull.stderr).toBe("[false,false]");
    // a real pseudo-terminal: script(1) runs the command on one
    const script = `const { isTerminal } = require(${JSON.stringify(lazyStdio)}); console.log(["answer", isTerminal(0), isTerminal(1), require("node:tty").isatty(1)].join(" "))`;
    const pty = spawnSync("script", ["-qc", `${process.execPath} -e '${script}'`, "/dev/null"], { encoding: "utf8", timeout: 30_000 });
    expect(pty.status, pty.stderr).toBe(0);
    expect(pty.stdout).toMatch(/answer true true true/);
  });

  it("writes in order, all of a large write, before and after something makes the real stream", () => {
    const run = node(`
      const out = lazyStdio(1, () => process.stdout);
      out.write("first ");
      out.write("x".repeat(1 << 20));
      out.write(" second ");
      out.on("finish", () => {}); // needs the stream: it is made here, and writes go through it from now on
      out.write("third\\n");
      if (require("node:util").types.isProxy(out) !== true) throw new Error("not lazy");
    `, { maxBuffer: 8 << 20 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`first ${"x".repeat(1 << 20)} second third\n`);
  });

  it("does not make the stream for a command that only prints", () => {
    const run = node(`
      const out = lazyStdio(1, () => { throw new Error("made the stream"); });
      out.write(out.isTTY ? "tty\\n" : "not a tty\\n");
    `);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("not a tty\n");
  });

  it("ends quietly when the reader goes away (agent … | head -1)", async () => {
    const writer = spawn(process.execPath, ["-e", `const out = require(${JSON.stringify(lazyStdio)}).lazyStdio(1, () => process.stdout); for (let i = 0; i < 64; i++) out.write("y".repeat(1 << 16)); process.stderr.write("done")`], { stdio: ["ignore", "pipe", "pipe"] });
    let said = "";
    writer.stderr.on("data", (d) => (said += d));
    writer.stdout.destroy(); // no reader: every write meets EPIPE
    expect(await new Promise((resolve) => writer.on("close", resolve))).toBe(0);
    expect(said).toBe("done");

    const bin = spawn(process.execPath, [builtCli, "plugin", "schema", "plugin"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    bin.stderr.on("data", (d) => (err += d));
    bin.stdout.destroy();
    const status = await new Promise((resolve) => bin.on("close", resolve));
    expect(err).toBe("");
    expect(status).toBe(0);
  });
});
