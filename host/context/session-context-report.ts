import type { EngineSession } from "../engine/engine-session.js";
import type { LoadedPlugin } from "../session/loaded-plugin.js";
import { estimateTokens } from "./estimate-tokens.js";
import { pluginContextCosts, toolTokens, type PluginContextCost } from "./plugin-context-cost.js";

/** What the first request of a session costs before the prompt: system prompt, tool schemas, and who adds what. */
export interface SessionContextReport {
  model: string;
  systemPromptChars: number;
  systemPromptTokens: number;
  toolCount: number;
  toolTokens: number;
  /** system prompt + tool schemas */
  totalTokens: number;
  plugins: PluginContextCost[];
}

export function sessionContextReport(session: EngineSession, plugins: LoadedPlugin[]): SessionContextReport {
  const prompt = session.systemPrompt();
  const tools = session.tools();
  const toolCost = tools.reduce((sum, t) => sum + toolTokens(t), 0);
  const systemPromptTokens = estimateTokens(prompt);
  return {
    model: session.model,
    systemPromptChars: prompt.length,
    systemPromptTokens,
    toolCount: tools.length,
    toolTokens: toolCost,
    totalTokens: systemPromptTokens + toolCost,
    plugins: pluginContextCosts(plugins, tools, session.projectDir).sort((a, b) => b.total - a.total || a.id.localeCompare(b.id)),
  };
}
