import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "list"],
  aliases: ["ls"],
  description: "list installed plugins with their scope, status and load errors",
  options: [{ flags: "--available", description: "also list plugins of known marketplaces that are not installed (with --json)" }],
  json: true,
  examples: ["agent plugin list", "agent plugin list --json --available"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { listPlugins }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/query/list-plugins.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const available = Boolean((ctx.options as { available?: boolean }).available);
    const result = await listPlugins(state, { available });
    return {
      data: available ? result : result.installed,
      text: (s) => {
        const lines: string[] = [];
        if (result.installed.length === 0) lines.push("No plugins installed. Use `agent plugin install` to install a plugin.");
        else {
          lines.push("Installed plugins:", "");
          for (const p of result.installed) {
            const status = p.errors.length && p.enabled ? `${s.fail} failed to load` : p.enabled ? `${s.ok} enabled` : `${s.fail} disabled`;
            lines.push(`  ${s.bullet} ${s.bold(p.id)}`, `    Version: ${p.version}`, `    Scope: ${p.scope}${p.auto ? " (dependency)" : ""}`);
            if (p.projectPath) lines.push(`    Project: ${p.projectPath}`);
            lines.push(`    Status: ${status}`);
            for (const e of p.errors) lines.push(`    Error: ${e.message}`);
            lines.push("");
          }
        }
        if (result.available?.length) {
          lines.push("Available plugins:", "");
          for (const a of result.available) lines.push(`  ${s.bullet} ${a.pluginId}${a.description ? `  ${s.dim(a.description)}` : ""}`);
        }
        return lines.join("\n").trimEnd();
      },
    };
  },
};
