import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "prune"],
  aliases: ["autoremove"],
  description: "remove auto-installed dependencies no enabled plugin needs, and unreferenced cache versions",
  options: [
    { flags: "--dry-run", description: "only list what would be removed" },
    { flags: "-s, --scope <scope>", description: "scope to prune", choices: ["user", "project", "local"], default: "user" },
    { flags: "-y, --yes", description: "do not ask" },
  ],
  json: true,
  examples: ["agent plugin prune --dry-run", "agent plugin prune -y"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { prunePlugins }, { terminalPrompter }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/remove/prune-plugins.js"),
      import("../../../installer/config/prompter.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const o = ctx.options as { dryRun?: boolean; scope: "user" | "project" | "local"; yes?: boolean };
    const result = await prunePlugins(state, {
      scope: o.scope,
      dryRun: Boolean(o.dryRun),
      confirm: async (ids) => {
        if (o.yes) return true;
        if (!ctx.interactive) return false;
        const answer = await terminalPrompter(ctx.stdin, ctx.stderr)(`Remove ${ids.join(", ")}? [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      },
    });
    const name = (id: string) => id.slice(0, id.lastIndexOf("@"));
    return {
      data: result,
      text: () => {
        const n = result.orphans.length;
        if (n === 0) return `No auto-installed plugins to prune at ${result.scope} scope.`;
        const lines = [`${n} auto-installed ${n === 1 ? "plugin" : "plugins"} no longer needed at ${result.scope} scope:`, ...result.orphans.map((p) => `  ${p.id} (${p.version})`)];
        if (result.dryRun) lines.push("(dry run — nothing removed)");
        else if (result.needsConfirmation) lines.push("Not a TTY — run `agent plugin prune -y` to remove.");
        else lines.push(`Removed ${result.removed.length} auto-installed ${result.removed.length === 1 ? "plugin" : "plugins"}: ${result.removed.map(name).join(", ")}`);
        return lines.join("\n");
      },
    };
  },
};
