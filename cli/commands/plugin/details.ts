import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "details"],
  aliases: ["info"],
  args: ["<plugin>"],
  description: "show an installed plugin: components, version, source, commit, dependencies, dependents, config keys, permissions",
  options: [{ flags: "--context", description: "also measure the tokens the plugin adds to every request (skills, tool schemas, agents)" }],
  json: true,
  examples: ["agent plugin details code-review@agent-builtin", "agent plugin details code-review --json", "agent plugin details core-tools --context"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { pluginDetails }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/query/plugin-details.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const found = await pluginDetails(state, String(ctx.args.plugin));
    const { pluginContext } = ctx.options.context ? await import("../../run/plugin-context.js") : { pluginContext: undefined };
    const d = pluginContext ? { ...found, context: await pluginContext(state, found.id, (line) => ctx.log(`agent: warning: ${line}`)) } : found;
    return {
      data: d,
      text: (s) => {
        const lines = [`${s.bold(d.name)} ${d.version}`];
        if (d.description) lines.push(`  ${d.description}`);
        lines.push(`  Source: ${d.id} (${typeof d.source === "string" ? d.source : JSON.stringify(d.source)})`);
        lines.push(`  Installed: ${d.scopes.map((x) => `${x.scope}${x.projectPath ? ` (${x.projectPath})` : ""}${x.auto ? " as a dependency" : ""}`).join(", ")} — ${d.enabled ? "enabled" : "disabled"}`);
        lines.push(`  Path: ${d.installPath}`);
        if (d.commit) lines.push(`  Commit: ${d.commit}`);
        if (d.integrity) lines.push(`  Integrity: ${d.integrity}`);
        lines.push("", "Component inventory");
        const rows: [string, string[]][] = [
          ["Skills", d.components.skills],
          ["Commands", d.components.commands],
          ["Agents", d.components.agents],
          ["Hooks", d.components.hooks],
          ["MCP servers", d.components.mcpServers],
          ["LSP servers", d.components.lspServers],
          ["Output styles", d.components.outputStyles],
          ["Monitors", d.components.monitors],
        ];
        const shown = rows.filter(([, items]) => items.length);
        if (shown.length === 0) lines.push("  (none)");
        for (const [label, items] of shown) lines.push(`  ${label} (${items.length})  ${items.join(", ")}`);
        lines.push("", `Dependencies: ${d.dependencies.join(", ") || "none"}`, `Dependents: ${d.dependents.join(", ") || "none"}`);
        if (d.config.length) {
          lines.push("", "Config");
          for (const c of d.config) lines.push(`  ${c.key}  ${c.type}${c.sensitive ? ", sensitive" : ""}${c.required ? ", required" : ""}  ${c.set ? (c.sensitive ? "(set)" : JSON.stringify(c.value)) : "(not set)"}`);
        }
        lines.push("", `Permissions: ${d.permissions.summary.join("; ")}`);
        if ("context" in d) lines.push("", `Context: ${d.context.total} tokens per request (skills ${d.context.skills}, tools ${d.context.tools}, agents ${d.context.agents}${d.context.deferredSkills ? `; +${d.context.deferredSkills} once path-scoped skills appear` : ""})`);
        for (const p of d.problems) lines.push(`${s.warn} ${p}`);
        return lines.join("\n");
      },
    };
  },
};
