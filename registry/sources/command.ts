import type { z } from "zod";
import { AgentError } from "../../schemas/errors.js";
import type { commandPluginSourceSchema } from "../../schemas/plugin-source.js";
import type { PluginSourceHandler } from "./source.js";

type CommandSource = z.infer<typeof commandPluginSourceSchema>;

/** `command` sources (a command that prints a plugin directory) are recognised but not run by agent. */
export const commandPlugin: PluginSourceHandler<CommandSource> = {
  kind: "command",
  async fetch(source) {
    throw new AgentError("E_UNSUPPORTED_SOURCE", `Plugin source kind "command" is not supported: agent does not run marketplace-supplied commands (${source.command})`, {
      hint: "Ask the marketplace owner for a git, github, npm or archive source for this plugin.",
      details: { source },
    });
  },
};
