import type Anthropic from "@anthropic-ai/sdk";
import { AgentError } from "../../schemas/errors.js";
import { noModelClient, type MessagesApi } from "./model-client.js";
import type { SessionEvent } from "./session-events.js";

/**
 * Streams one model response: yields text as it arrives, returns the whole message. ModelClient fails
 * with AgentErrors already; the SDK's client (which tests and embedders may pass) with its own errors,
 * mapped here to the same codes.
 */
export async function* streamTurn(client: MessagesApi | undefined, params: Anthropic.MessageStreamParams, signal: AbortSignal): AsyncGenerator<SessionEvent, Anthropic.Message> {
  if (!client) throw noModelClient();
  try {
    const stream = client.messages.stream(params, { signal });
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") yield { type: "text", text: event.delta.text };
    }
    return await stream.finalMessage();
  } catch (error) {
    const cancelled = () => new AgentError("E_ABORTED", "the session was cancelled", { cause: error });
    if (error instanceof AgentError) throw signal.aborted && error.code !== "E_ABORTED" ? cancelled() : error;
    if (signal.aborted) throw cancelled();
    const { APIError, APIUserAbortError } = await import("@anthropic-ai/sdk/core/error");
    if (error instanceof APIUserAbortError) throw cancelled();
    if (error instanceof APIError)
      throw new AgentError("E_MODEL", `the model API failed${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`, {
        hint: "Check ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL and --model.",
        details: { status: error.status },
        cause: error,
      });
    throw error;
  }
}
