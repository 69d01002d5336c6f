import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "why"],
  args: ["<plugin>"],
  description: "explain why a plugin is installed: the dependency chains that lead to it",
  json: true,
  examples: ["agent plugin why core-tools@agent-builtin"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { whyInstalled }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/query/why-installed.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const result = await whyInstalled(state, String(ctx.args.plugin));
    return {
      data: result,
      text: () => {
        const lines: string[] = [];
        if (result.direct) lines.push(`${result.id} was installed directly.`);
        if (result.chains.length) {
          lines.push(`${result.id} is required by:`);
          for (const chain of result.chains) lines.push(`  ${chain.join(" → ")}`);
        }
        if (!result.direct && result.chains.length === 0) lines.push(`${result.id} was installed as a dependency, but nothing installed needs it any more (agent plugin prune removes it).`);
        return lines.join("\n");
      },
    };
  },
};
