import type { SessionEvent } from "../../host/engine/session-events.js";
import type { Style } from "../command-spec.js";

const short = (value: unknown, max = 120) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** How `agent run` shows an event to a person: model text on stdout, everything else as lines on stderr. */
export function renderEvent(event: SessionEvent, s: Style): { stdout?: string; stderr?: string } {
  switch (event.type) {
    case "text":
      return { stdout: event.text };
    case "tool_use":
      return { stderr: `\n${s.cyan("⏺")} ${event.agent ? `${s.dim(`[${event.agent}]`)} ` : ""}${event.name}(${short(event.input)})` };
    case "tool_result":
      return event.isError ? { stderr: `  ${s.red("⎿")} ${short(event.content, 300)}` } : { stderr: `  ${s.dim("⎿")} ${s.dim(short(event.content.split("\n")[0] ?? "", 100))}` };
    case "permission":
      return event.decision === "deny" ? { stderr: `  ${s.warn} ${event.reason}` } : {};
    case "hook": {
      const lines = [...event.outcome.messages];
      if (event.outcome.decision === "block" || event.outcome.decision === "deny") lines.push(`${event.event} hook ${event.outcome.decision === "block" ? "blocked" : "denied"}${event.tool ? ` ${event.tool}` : ""}: ${event.outcome.reason ?? ""}`.trim());
      return lines.length ? { stderr: lines.map((l) => `  ${s.yellow("hook")} ${l}`).join("\n") } : {};
    }
    case "skill_revealed":
      return { stderr: `  ${s.dim(`skill ${event.skill} is now available (${event.file})`)}` };
    case "agent_start":
      return { stderr: `\n${s.cyan("⏺")} agent ${event.agent}: ${short(event.prompt)}` };
    case "agent_stop":
      return { stderr: `  ${s.dim(`agent ${event.agent} finished (${event.reason}, ${event.turns} turns)`)}` };
    case "stop":
      return { stdout: "\n", ...(event.reason !== "end_turn" ? { stderr: `${s.warn} stopped: ${event.reason}${event.message ? ` (${event.message})` : ""}` } : {}) };
    default:
      return {};
  }
}
