import type { MessagesApi } from "../../host/engine/model-client.js";
import type { SessionEvent } from "../../host/engine/session-events.js";
import type { PermissionMode } from "../../host/permissions/permission-policy.js";
import { AgentError } from "../../schemas/errors.js";
import type { CommandContext, CommandResult, Style } from "../command-spec.js";
import { exitCodes } from "../exit-codes.js";
import { makeStyle } from "../output.js";
import { renderEvent } from "./render-event.js";
import type { SessionSetup } from "./session-setup.js";

export interface RunRequest {
  prompt: string;
  model: string;
  maxTurns: number;
  permissions: { mode: PermissionMode; allow: string[]; deny: string[] };
  dryRun: boolean;
}

/**
 * Opens the session (starting the plugins' MCP servers), then either reports its context cost
 * (--dry-run) or runs the query loop, streaming events as text or JSON lines. Ctrl-C aborts the loop
 * through its AbortController; the servers are stopped either way.
 */
export async function runAgentSession(ctx: CommandContext, setup: SessionSetup, request: RunRequest): Promise<CommandResult> {
  const apiKey = ctx.env.ANTHROPIC_API_KEY;
  const authToken = ctx.env.ANTHROPIC_AUTH_TOKEN;
  const clientKind = ctx.env.AGENT_MODEL_CLIENT ?? "agent";
  if (clientKind !== "agent" && clientKind !== "sdk") throw new AgentError("E_USAGE", `AGENT_MODEL_CLIENT must be "agent" or "sdk", not "${clientKind}"`, { hint: "unset AGENT_MODEL_CLIENT, or export AGENT_MODEL_CLIENT=sdk" });
  if (!request.dryRun && !apiKey && !authToken)
    throw new AgentError("E_USAGE", "no model credentials: ANTHROPIC_API_KEY is not set", { hint: "export ANTHROPIC_API_KEY=… (and ANTHROPIC_BASE_URL for a gateway), or use --dry-run" });
  const [{ openSession }, { runSession }, { expandCommand }, { ttyPrompter }, { sessionContextReport }] = await Promise.all([
    import("../../host/session/open-session.js"),
    import("../../host/engine/run-session.js"),
    import("../../host/session/expand-command.js"),
    import("../../host/permissions/tty-prompter.js"),
    import("../../host/context/session-context-report.js"),
  ]);
  const prompter = ctx.interactive ? ttyPrompter(ctx.stdin, ctx.stderr) : undefined;
  const prompt = request.dryRun ? request.prompt : expandCommand(request.prompt, setup.plugins, { projectDir: setup.env.projectDir, sessionId: setup.sessionId });
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.on("SIGINT", onInterrupt);
  let opened: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    // the model client loads while the plugins' servers start and the SessionStart hooks run; --dry-run
    // never loads it and runs no hooks
    const client = request.dryRun
      ? undefined
      : modelClient(clientKind, ctx.env);
    opened = await openSession(
      {
        plugins: setup.plugins,
        env: setup.env,
        model: request.model,
        maxTurns: request.maxTurns,
        sessionId: setup.sessionId,
        permissions: { ...request.permissions, ...(prompter ? { prompter } : {}) },
        ...(client ? { client } : {}),
      },
      request.dryRun ? undefined : { signal: controller.signal },
    );
    if (request.dryRun) {
      const report = sessionContextReport(opened.session, setup.plugins);
      return { data: report, text: (s) => dryRunText(report, s) };
    }
    const style = makeStyle(ctx.global.color && !ctx.global.json);
    let last: SessionEvent | undefined;
    let openLine = false;
    for await (const event of runSession(opened.session, prompt, controller.signal, opened.sessionStart ? { sessionStart: opened.sessionStart } : {})) {
      last = event;
      if (ctx.global.json) {
        ctx.stdout.write(`${JSON.stringify(event)}\n`);
        continue;
      }
      const shown = renderEvent(event, style);
      if (event.type === "tool_use" && openLine) ctx.stdout.write("\n");
      if (shown.stdout) ctx.stdout.write(shown.stdout);
      if (shown.stdout || event.type === "tool_use") openLine = Boolean(shown.stdout && !shown.stdout.endsWith("\n"));
      if (shown.stderr) ctx.stderr.write(`${shown.stderr}\n`);
    }
    const reason = last?.type === "stop" ? last.reason : "end_turn";
    const exitCode = reason === "aborted" ? exitCodes.interrupted : reason === "max_turns" || reason === "blocked_by_hook" ? exitCodes.failure : exitCodes.ok;
    return { data: last, streamed: true, exitCode };
  } finally {
    process.off("SIGINT", onInterrupt);
    if (opened && !request.dryRun) await opened.end().catch(() => {}); // a failing SessionEnd hook has warned already
    await opened?.close();
  }
}

/**
 * The session's Messages API client: agent's own (node:http, no fetch) unless AGENT_MODEL_CLIENT=sdk asks
 * for the SDK's. Both honour ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and ANTHROPIC_BASE_URL.
 */
async function modelClient(kind: "agent" | "sdk", env: NodeJS.ProcessEnv): Promise<MessagesApi> {
  const credentials = { apiKey: env.ANTHROPIC_API_KEY ?? null, authToken: env.ANTHROPIC_AUTH_TOKEN ?? null, ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}) };
  if (kind === "sdk") return new (await import("../../host/engine/sdk-model-client.js")).SdkModelClient(credentials);
  const [{ ModelClient }, { agentVersion }] = await Promise.all([import("../../host/engine/model-client.js"), import("../version.js")]);
  return new ModelClient({ ...credentials, userAgent: `agent/${agentVersion()}`, env });
}

function dryRunText(report: import("../../host/context/session-context-report.js").SessionContextReport, s: Style): string {
  const lines = [
    `${s.bold("Context before the first prompt")} (${report.model}, estimated tokens)`,
    `  System prompt  ${report.systemPromptTokens} tokens (${report.systemPromptChars} characters)`,
    `  Tool schemas   ${report.toolTokens} tokens (${report.toolCount} tools)`,
    `  Total          ${report.totalTokens} tokens`,
    "",
    s.bold("Per plugin"),
  ];
  if (report.plugins.length === 0) lines.push("  (no enabled plugins: install some with `agent plugin install starter@agent-builtin`)");
  const width = Math.max(...report.plugins.map((p) => p.id.length), 6);
  for (const p of report.plugins) {
    const parts = [`skills ${p.skills}`, `tools ${p.tools}`, `agents ${p.agents}`];
    if (p.deferredSkills) parts.push(`+${p.deferredSkills} when path-scoped skills appear`);
    lines.push(`  ${p.id.padEnd(width)}  ${String(p.total).padStart(6)}  ${s.dim(parts.join(", "))}`);
  }
  return lines.join("\n");
}
