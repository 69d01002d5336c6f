import type { CommandSpec } from "../../command-spec.js";

const names = ["plugin", "marketplace", "hooks", "mcp", "lsp", "settings", "managed-settings"] as const;

export const command: CommandSpec = {
  path: ["plugin", "schema"],
  args: ["<name>"],
  description: `print the JSON Schema of a file format (${names.join(", ")})`,
  examples: ["agent plugin schema plugin > plugin.schema.json"],
  async run(ctx) {
    const name = String(ctx.args.name);
    const { AgentError } = await import("../../../schemas/errors.js");
    if (!(names as readonly string[]).includes(name))
      throw new AgentError("E_USAGE", `Unknown schema "${name}"`, { hint: `Use one of: ${names.join(", ")}` });
    const { jsonSchemaFor } = await import("../../../schemas/json-schemas.js");
    const schema = jsonSchemaFor(name as (typeof names)[number]);
    return { data: schema, text: JSON.stringify(schema, null, 2) };
  },
};
