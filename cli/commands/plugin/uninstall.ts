import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "uninstall"],
  aliases: ["remove", "rm"],
  args: ["<plugin>"],
  description: "uninstall a plugin from a scope (its options, secrets and data go too unless --keep-data)",
  options: [
    { flags: "-s, --scope <scope>", description: "scope to uninstall from (default: where it is installed)", choices: ["user", "project", "local"] },
    { flags: "--keep-data", description: "keep the plugin's options, secrets and data directory" },
    { flags: "--prune", description: "also remove auto-installed dependencies nothing needs any more" },
    { flags: "-y, --yes", description: "do not ask (with --prune)" },
  ],
  json: true,
  examples: ["agent plugin uninstall code-review@agent-builtin", "agent plugin uninstall starter --prune -y"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { uninstallPlugin }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/remove/uninstall-plugin.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const o = ctx.options as { scope?: "user" | "project" | "local"; keepData?: boolean; prune?: boolean; yes?: boolean };
    const result = await uninstallPlugin(state, { id: String(ctx.args.plugin), scope: o.scope, keepData: Boolean(o.keepData), prune: Boolean(o.prune) });
    const names = (ids: string[]) => ids.map((id) => id.slice(0, id.lastIndexOf("@"))).join(", ");
    return {
      data: result,
      text: (s) => {
        const lines = [`${s.ok} Successfully uninstalled plugin: ${names([result.id])} (scope: ${result.scope})${result.requiredBy.length ? ` — warning: required by ${names(result.requiredBy)}` : ""}`];
        if (result.pruned.length) lines.push(`Removed ${result.pruned.length} auto-installed ${result.pruned.length === 1 ? "plugin" : "plugins"}: ${names(result.pruned)}`);
        else if (result.orphans.length)
          lines.push(`${result.orphans.length} auto-installed ${result.orphans.length === 1 ? "dependency" : "dependencies"} no longer needed: ${names(result.orphans)}. Run \`agent plugin prune\` to remove.`);
        return lines.join("\n");
      },
    };
  },
};
