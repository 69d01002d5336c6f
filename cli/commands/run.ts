import type { CommandSpec } from "../command-spec.js";
import { AgentError } from "../../schemas/errors.js";

interface RunOptions {
  model?: string;
  maxTurns: string;
  permissionMode: "ask" | "bubble" | "allow";
  allowedTools?: string[];
  disallowedTools?: string[];
  pluginDir?: string[];
  dryRun?: boolean;
  sandbox?: boolean;
}

export const defaultModel = "claude-sonnet-4-6";

export const command: CommandSpec = {
  path: ["run"],
  args: ["[prompt...]"],
  description: "run the agent on a prompt (or stdin) with the tools, skills, commands, agents and hooks of the enabled plugins",
  options: [
    { flags: "--model <model>", description: `model id (default: $AGENT_MODEL or ${defaultModel})` },
    { flags: "--max-turns <n>", description: "stop after this many model requests", default: "30" },
    { flags: "--permission-mode <mode>", description: "ask before tool calls, bubble sub-agents' prompts up to you, or allow", choices: ["ask", "bubble", "allow"], default: "ask" },
    { flags: "--allowed-tools <rules>", description: 'allow without asking, e.g. "Read,Bash(git:*)" (repeatable)', repeatable: true },
    { flags: "--disallowed-tools <rules>", description: 'never allow, e.g. "Bash(rm:*)" (repeatable; deny always wins)', repeatable: true },
    { flags: "--plugin-dir <dir>", description: "load a plugin directory for this session only (repeatable)", repeatable: true },
    { flags: "--dry-run", description: "print the system prompt size and each plugin's token cost; no model call" },
    { flags: "--no-sandbox", description: "run plugin processes unconfined (like \"sandbox\": \"off\" in user settings)" },
  ],
  json: true,
  examples: [
    'agent run "fix the failing test in src/parse.ts"',
    'echo "review the staged diff" | agent run --permission-mode allow --allowed-tools "Read,Grep,Bash(git diff:*)"',
    'agent run "/code-review:review error handling" --json',
    "agent run --dry-run",
  ],
  async run(ctx) {
    const o = ctx.options as unknown as RunOptions;
    const maxTurns = Number(o.maxTurns);
    if (!Number.isInteger(maxTurns) || maxTurns < 1) throw new AgentError("E_USAGE", `--max-turns must be a positive integer, not "${o.maxTurns}"`, { hint: "agent run --max-turns 10 \"…\"" });
    // the sandbox check (two bwrap processes, unless a check this boot passed) runs while the plugins
    // load, not after
    if (o.sandbox !== false)
      void Promise.all([import("../../host/sandbox/check-sandbox.js"), import("../../installer/state-paths.js")]).then(([{ checkSandbox }, { sandboxCheckFile }]) =>
        checkSandbox({ cacheFile: sandboxCheckFile({ home: ctx.global.home, env: ctx.env }) }),
      );
    const [{ stateContext }, { packageRoot }, { sessionSetup }, { runAgentSession }] = await Promise.all([
      import("../../installer/state-context.js"),
      import("../version.js"),
      import("../run/session-setup.js"),
      import("../run/run-agent-session.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const setup = await sessionSetup(state, { pluginDir: o.pluginDir, sandbox: o.sandbox, warn: (line) => ctx.stderr.write(`agent: warning: ${line}\n`) });
    const words = (ctx.args.prompt as string[] | undefined) ?? [];
    const prompt = o.dryRun ? words.join(" ") : words.length ? words.join(" ") : await readPrompt(ctx.stdin);
    return runAgentSession(ctx, setup, {
      prompt,
      model: o.model ?? ctx.env.AGENT_MODEL ?? defaultModel,
      maxTurns,
      permissions: { mode: o.permissionMode, allow: o.allowedTools ?? [], deny: o.disallowedTools ?? [] },
      dryRun: Boolean(o.dryRun),
    });
  },
};

async function readPrompt(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY) throw new AgentError("E_USAGE", "no prompt given", { hint: 'agent run "<prompt>", or pipe one: echo "<prompt>" | agent run' });
  let text = "";
  for await (const chunk of stdin) text += chunk;
  if (!text.trim()) throw new AgentError("E_USAGE", "the prompt on stdin is empty", { hint: 'agent run "<prompt>", or pipe one: echo "<prompt>" | agent run' });
  return text.trim();
}
