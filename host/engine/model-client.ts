import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { Messages } from "@anthropic-ai/sdk/resources/messages/messages";

/**
 * The Messages API client agent runs sessions with: the SDK's base client (auth, ANTHROPIC_BASE_URL,
 * retries, streaming) with only the messages resource. The SDK's full client also builds every other
 * API resource, which a session never calls and which would double the code loaded before a request.
 */
export class ModelClient extends BaseAnthropic {
  messages: Messages = new Messages(this);
}

/** What the query loop needs of a client; the SDK's full Anthropic client has it too. */
export interface MessagesApi {
  messages: Pick<Messages, "stream">;
}
