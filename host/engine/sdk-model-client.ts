import { BaseAnthropic } from "@anthropic-ai/sdk/client";
import { Messages } from "@anthropic-ai/sdk/resources/messages/messages";

/**
 * The Messages API client of `AGENT_MODEL_CLIENT=sdk`: the SDK's base client (auth, ANTHROPIC_BASE_URL,
 * retries, streaming over Node's fetch) with only the messages resource, for anyone who wants the SDK's
 * own transport. It satisfies MessagesApi as ModelClient does.
 */
export class SdkModelClient extends BaseAnthropic {
  messages: Messages = new Messages(this);
}
