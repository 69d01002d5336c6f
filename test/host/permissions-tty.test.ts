import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { builtCli } from "../support/run-agent.js";
import { toolResults } from "../support/scripted-model.js";
import { cleanUpAfterEach } from "../support/host-session.js";

const coreTools = fileURLToPath(new URL("../../fixtures/marketplaces/agent-builtin/plugins/core-tools/", import.meta.url));
const writeTool = "mcp__plugin_core-tools_core-tools__Write";

const scratch = cleanUpAfterEach();

/** Runs `agent run` on a real pseudo-terminal (util-linux script) and answers each permission prompt in turn. */
function runOnTty(args: string[], answers: string[], env: Record<string, string>, cwd: string): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, builtCli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "dumb", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let asked = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`timed out; output so far:\n${output}`))), 60_000);
    child.stdout.on("data", (d) => {
      output += d;
      const prompts = output.split("[n] deny:").length - 1;
      while (asked < prompts) child.stdin.write(`${answers[asked++] ?? "n"}\r`);
    });
    child.on("exit", (status) => (clearTimeout(timer), resolve({ status, output })));
  });
}

describe("permission prompts on a terminal", () => {
  it("ask mode prompts on the TTY: 'y' runs the tool once, 'n' denies the next call", async () => {
    requireTool("bwrap");
    requireTool("script");
    const home = scratch.dir("agent-tty-home-");
    const project = scratch.dir("agent-tty-project-");
    const write = (file: string) => ({ content: [{ type: "tool_use" as const, name: writeTool, input: { file_path: join(project.path, file), content: file } }] });
    const model = await scratch.startModel([write("yes.txt"), write("no.txt"), { content: [{ type: "text", text: "done" }] }]);
    const run = await runOnTty(["run", "--plugin-dir", coreTools, "write two files"], ["y", "n"], { AGENT_HOME: home.path, ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: "k" }, project.path);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`Allow ${writeTool}?`);
    expect(readFileSync(join(project.path, "yes.txt"), "utf8")).toBe("yes.txt");
    expect(existsSync(join(project.path, "no.txt"))).toBe(false);
    expect(toolResults(model.requests[2]!)[0]).toMatchObject({ is_error: true, content: `Permission to use ${writeTool} was denied: the user denied ${writeTool}` });
  });
});
