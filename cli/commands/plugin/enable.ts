import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "enable"],
  args: ["<plugin>"],
  description: "enable an installed plugin and its dependencies",
  options: [{ flags: "-s, --scope <scope>", description: "scope to write (default: where it is installed)", choices: ["user", "project", "local"] }],
  json: true,
  examples: ["agent plugin enable code-review@agent-builtin"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { enablePlugin }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/toggle/enable-plugin.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const result = await enablePlugin(state, { id: String(ctx.args.plugin), scope: (ctx.options as { scope?: "user" | "project" | "local" }).scope });
    const name = (id: string) => id.slice(0, id.lastIndexOf("@"));
    return {
      data: result,
      text: (s) =>
        result.alreadyEnabled
          ? `${s.ok} Plugin "${result.id}" is already enabled`
          : `${s.ok} Successfully enabled plugin: ${name(result.id)} (scope: ${result.scope})${result.alsoEnabled.length ? ` (also enabled ${result.alsoEnabled.length} ${result.alsoEnabled.length === 1 ? "dependency" : "dependencies"}: ${result.alsoEnabled.map(name).join(", ")})` : ""}`,
    };
  },
};
