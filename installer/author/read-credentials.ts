import { AgentError } from "../../schemas/errors.js";
import type { Prompter } from "../config/prompter.js";
import type { LoginCredentials } from "./login.js";

/**
 * What `agent login` logs in with: --token; else a user name (flag or prompt) and a password (prompt
 * on a terminal, else the first line of stdin, so scripts never put it in argv).
 */
export async function readCredentials(options: { token: string | undefined; username: string | undefined; prompt: Prompter | undefined; stdin: NodeJS.ReadableStream }): Promise<LoginCredentials> {
  if (options.token) return { token: options.token };
  const username = options.username ?? (options.prompt ? (await options.prompt("Username: ")).trim() : undefined);
  if (!username) {
    throw new AgentError("E_USAGE", "agent login needs --token, or --username with the password on stdin, when not run in a terminal", {
      hint: 'echo "$PASSWORD" | agent login --registry <url> --username <name>',
    });
  }
  const password = options.prompt ? await options.prompt("Password: ", { secret: true }) : await firstLine(options.stdin);
  if (!password) throw new AgentError("E_USAGE", "No password given", { hint: 'echo "$PASSWORD" | agent login --registry <url> --username <name>' });
  return { username, password };
}

async function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0]!.trim();
}
