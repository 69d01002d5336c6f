import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted assistant turn: text and tool_use blocks, and why it stopped. */
export interface ScriptedTurn {
  content: ({ type: "text"; text: string } | { type: "tool_use"; id?: string; name: string; input: Record<string, unknown> })[];
  stop_reason?: "end_turn" | "tool_use" | "max_tokens";
  usage?: { input_tokens: number; output_tokens: number };
}

/** What the server received: the parsed Messages API request body. */
export interface RecordedRequest {
  model: string;
  system?: string | { type: string; text: string }[];
  messages: { role: string; content: unknown }[];
  tools?: { name: string; description?: string; input_schema: unknown }[];
  [key: string]: unknown;
}

export interface ScriptedModel {
  /** base URL for ANTHROPIC_BASE_URL */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * The only fake in the test suite: a Messages API server on 127.0.0.1 that replays a script of turns as
 * SSE streams (message_start, content_block_start/delta/stop with text_delta and input_json_delta,
 * message_delta with stop_reason and usage, message_stop) and records every request. A turn may be a
 * function of the request, so a script can react to what the host sent. After the script runs out it
 * answers "(script finished)" with end_turn.
 */
export async function startScriptedModel(script: (ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn))[]): Promise<ScriptedModel> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as RecordedRequest;
    requests.push(body);
    const step = script[next++];
    const turn = typeof step === "function" ? step(body) : (step ?? { content: [{ type: "text", text: "(script finished)" }] });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    for (const event of sseEvents(turn, body.model, requests.length)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sseEvents(turn: ScriptedTurn, model: string, n: number): Record<string, unknown>[] {
  const usage = turn.usage ?? { input_tokens: 100 + n, output_tokens: 10 + n };
  const hasTool = turn.content.some((b) => b.type === "tool_use");
  const events: Record<string, unknown>[] = [
    {
      type: "message_start",
      message: { id: `msg_${n}`, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } },
    },
  ];
  turn.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of chunks(block.text, 8)) events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    } else {
      const id = block.id ?? `toolu_${n}_${index}`;
      events.push({ type: "content_block_start", index, content_block: { type: "tool_use", id, name: block.name, input: {} } });
      for (const piece of chunks(JSON.stringify(block.input), 16)) events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push({ type: "message_delta", delta: { stop_reason: turn.stop_reason ?? (hasTool ? "tool_use" : "end_turn"), stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  events.push({ type: "message_stop" });
  return events;
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

/** The text of a recorded request's system prompt. */
export function systemText(request: RecordedRequest): string {
  const s = request.system;
  if (s === undefined) return "";
  return typeof s === "string" ? s : s.map((b) => b.text).join("\n");
}

/** The tool_result blocks the host sent in a request's last user message. */
export function toolResults(request: RecordedRequest): { tool_use_id: string; content: unknown; is_error?: boolean }[] {
  const last = request.messages.at(-1);
  if (!last || !Array.isArray(last.content)) return [];
  return (last.content as { type: string }[]).filter((b) => b.type === "tool_result") as never;
}
