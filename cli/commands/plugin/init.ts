import type { CommandSpec } from "../../command-spec.js";
import type { InitResult } from "../../../installer/author/init-plugin.js";

export const command: CommandSpec<InitResult> = {
  path: ["plugin", "init"],
  args: ["<name>"],
  description: "create a new plugin that validates clean",
  options: [
    { flags: "--with <parts>", description: "comma-separated parts to add: skills,agents,commands,hooks,mcp,lsp", default: "skills" },
    { flags: "--dir <dir>", description: "where to create it (default: ./<name>)" },
  ],
  json: true,
  examples: ["agent plugin init my-plugin", "agent plugin init my-plugin --with skills,agents,hooks,mcp --dir plugins/my-plugin"],
  async run(ctx) {
    const [{ resolve }, { initPlugin }] = await Promise.all([import("node:path"), import("../../../installer/author/init-plugin.js")]);
    const name = String(ctx.args.name);
    const parts = String(ctx.options.with ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    const result = await initPlugin(name, resolve(ctx.cwd, String(ctx.options.dir ?? name)), parts, ctx.env);
    return {
      data: result,
      text: (s) => [`${s.ok} Created plugin ${result.name} in ${result.dir}`, ...result.files.map((f) => `  ${f}`), "", `Next: agent plugin validate ${result.dir}`].join("\n"),
    };
  },
};
