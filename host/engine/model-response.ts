/** The response side of ModelClient: the body decoded, its server-sent events parsed, the message assembled. */
import type { IncomingMessage } from "node:http";
import type Anthropic from "@anthropic-ai/sdk";
import { AgentError } from "../../schemas/errors.js";
import { apiErrorMessage, RequestFailure, toAgentError } from "./model-errors.js";

/** An error response's body (the first 64 KiB), for its message. */
export async function readText(res: IncomingMessage): Promise<string> {
  const body = await decoded(res);
  let text = "";
  for await (const chunk of body) if (text.length < 64 * 1024) text += chunk;
  return text;
}

/** The body as text, inflated when a gateway compressed it anyway (gzip, deflate, br), as fetch would. */
async function decoded(res: IncomingMessage): Promise<AsyncIterable<string>> {
  const encoding = String(res.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return res.setEncoding("utf8");
  const zlib = await import("node:zlib");
  const inflate = encoding === "gzip" || encoding === "x-gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : undefined;
  if (!inflate) throw new RequestFailure(`the model API answered with content-encoding "${encoding}", which agent cannot read`, { retry: false });
  res.on("error", (error) => inflate.destroy(error));
  inflate.on("close", () => res.destroy());
  return res.pipe(inflate).setEncoding("utf8");
}

/**
 * Server-sent events of a streaming response, parsed. `ping` is skipped; an `error` event (the API
 * overloaded mid-stream, say) fails the stream, as does a body that ends before `message_stop`.
 */
export async function* parseEvents(res: IncomingMessage, signal: AbortSignal | undefined): AsyncGenerator<Anthropic.MessageStreamEvent> {
  let buffer = "";
  let stopped = false;
  try {
    for await (const chunk of await decoded(res)) {
      buffer += chunk;
      let end: number;
      while ((end = blankLine(buffer)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(buffer[end] === "\r" ? end + 4 : end + 2);
        const event = parseBlock(block);
        if (!event) continue;
        if (event.type === "error") throw new AgentError("E_MODEL", `the model API failed mid-stream: ${apiErrorMessage(event.data) ?? event.data}`, { hint: "Run the prompt again; the API may be overloaded." });
        if (event.type === "ping") continue;
        const parsed = parseJson(event.data) as Anthropic.MessageStreamEvent;
        yield parsed;
        if (parsed.type === "message_stop") stopped = true;
      }
    }
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw toAgentError(new RequestFailure(`the response stream broke: ${error instanceof Error ? error.message : String(error)}`, { retry: false, cause: error }), signal);
  }
  if (!stopped) throw toAgentError(new RequestFailure("the response stream ended before message_stop", { retry: false }), signal);
}

function blankLine(buffer: string): number {
  const lf = buffer.indexOf("\n\n");
  const crlf = buffer.indexOf("\r\n\r\n");
  return lf < 0 ? crlf : crlf < 0 ? lf : Math.min(lf, crlf);
}

function parseBlock(block: string): { type: string; data: string } | undefined {
  let type = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { type, data: data.join("\n") } : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AgentError("E_MODEL", `the model API sent an event that is not JSON: ${text.slice(0, 200)}`, { hint: "Check ANTHROPIC_BASE_URL: it must point at a Messages API." });
  }
}

type Block = Anthropic.ContentBlock & { text?: string; thinking?: string; signature?: string; citations?: unknown[] | null; input?: unknown };

/** Puts the message together from its events, as the SDK's MessageStream does. */
export class MessageBuilder {
  private message: Anthropic.Message | undefined;
  /** the partial JSON of each tool_use block's input, by index */
  private readonly json = new Map<number, string>();
  private stopped = false;

  add(event: Anthropic.MessageStreamEvent): void {
    if (event.type === "message_start") {
      this.message = { ...event.message, content: [] };
      return;
    }
    const message = this.message;
    if (!message) throw new AgentError("E_MODEL", `the model API sent ${event.type} before message_start`, { hint: "Check ANTHROPIC_BASE_URL: it must point at a Messages API." });
    switch (event.type) {
      case "content_block_start":
        message.content[event.index] = { ...event.content_block } as Anthropic.ContentBlock;
        break;
      case "content_block_delta": {
        const block = message.content[event.index] as Block | undefined;
        if (!block) break;
        const delta = event.delta;
        if (delta.type === "text_delta") block.text = (block.text ?? "") + delta.text;
        else if (delta.type === "input_json_delta") this.json.set(event.index, (this.json.get(event.index) ?? "") + delta.partial_json);
        else if (delta.type === "thinking_delta") block.thinking = (block.thinking ?? "") + delta.thinking;
        else if (delta.type === "signature_delta") block.signature = delta.signature;
        else if (delta.type === "citations_delta") block.citations = [...(block.citations ?? []), delta.citation];
        break;
      }
      case "content_block_stop": {
        const block = message.content[event.index] as Block | undefined;
        const json = this.json.get(event.index);
        if (block && json !== undefined) {
          this.json.delete(event.index);
          const input = json.trim() === "" ? {} : parseJson(json);
          block.input = input;
        }
        break;
      }
      case "message_delta": {
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        const usage = event.usage as unknown as Record<string, unknown>;
        const into = message.usage as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) into[key] = value;
        break;
      }
      case "message_stop":
        this.stopped = true;
        break;
    }
  }

  finish(): Anthropic.Message {
    if (!this.message || !this.stopped) throw new AgentError("E_MODEL", "the model API's stream ended before the message did", { hint: "Run the prompt again." });
    return this.message;
  }
}
