import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "disable"],
  args: ["[plugin]"],
  description: "disable a plugin (refused while an enabled plugin depends on it), or --all",
  options: [
    { flags: "-a, --all", description: "disable every enabled plugin" },
    { flags: "-s, --scope <scope>", description: "scope to write (default: where it is installed)", choices: ["user", "project", "local"] },
  ],
  json: true,
  examples: ["agent plugin disable safety-hooks@agent-builtin", "agent plugin disable --all"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { disablePlugin }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/toggle/disable-plugin.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const o = ctx.options as { all?: boolean; scope?: "user" | "project" | "local" };
    const result = await disablePlugin(state, { id: ctx.args.plugin as string | undefined, all: Boolean(o.all), scope: o.scope });
    const name = (id: string) => id.slice(0, id.lastIndexOf("@"));
    return {
      data: result,
      text: (s) => {
        const lines: string[] = [];
        if (o.all) lines.push(`${s.ok} Disabled ${result.disabled.length} ${result.disabled.length === 1 ? "plugin" : "plugins"}`);
        else if (result.disabled.length) lines.push(`${s.ok} Successfully disabled plugin: ${name(result.disabled[0]!)} (scope: ${result.scope})`);
        else lines.push(`${s.ok} Plugin "${result.alreadyDisabled[0]}" is already disabled`);
        for (const id of result.forcedOn) lines.push(`${s.warn} ${id} still loads — managed settings enable it, which overrides your ${result.scope} setting`);
        return lines.join("\n");
      },
    };
  },
};
