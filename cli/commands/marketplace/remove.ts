import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "marketplace", "remove"],
  aliases: ["rm"],
  args: ["<name>"],
  description: "remove a marketplace; refuses while installed plugins come from it unless --force",
  options: [{ flags: "-f, --force", description: "remove it even though plugins from it stay installed" }],
  json: true,
  examples: ["agent plugin marketplace remove team-tools"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { removeMarketplace }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/marketplaces/remove-marketplace.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const result = await removeMarketplace(state, String(ctx.args.name), Boolean(ctx.options.force));
    return {
      data: result,
      text: (s) => {
        const lines = [`${s.ok} Successfully removed marketplace: ${result.name}`];
        if (result.orphanedPlugins.length) lines.push(`${s.warn} Still installed without their marketplace: ${result.orphanedPlugins.join(", ")}`);
        return lines.join("\n");
      },
    };
  },
};
