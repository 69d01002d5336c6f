import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "update"],
  aliases: ["upgrade"],
  args: ["[plugins...]"],
  description: "re-fetch plugins and update those whose version, commit or content changed; then drop unused cache versions",
  options: [
    { flags: "-s, --scope <scope>", description: "scope to update", choices: ["user", "project", "local"], default: "user" },
    { flags: "-y, --yes", description: "accept widened permissions" },
  ],
  json: true,
  examples: ["agent plugin update", "agent plugin update code-review@agent-builtin"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { updatePlugins }, { terminalPrompter }, { ttyProgress }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/install/update-plugins.js"),
      import("../../../installer/config/prompter.js"),
      import("../../../installer/install/tty-progress.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const o = ctx.options as { scope: "user" | "project" | "local"; yes?: boolean };
    const ids = (ctx.args.plugins as string[] | undefined) ?? [];
    ctx.log(`Checking for updates${ids.length ? ` for ${ids.join(", ")}` : ""} at ${o.scope} scope…`);
    const progress = !ctx.global.json && (ctx.stderr as NodeJS.WriteStream).isTTY ? ttyProgress(ctx.stderr) : undefined;
    const result = await updatePlugins(state, {
      ids,
      scope: o.scope,
      yes: Boolean(o.yes),
      prompt: ctx.interactive ? terminalPrompter(ctx.stdin, ctx.stderr) : undefined,
      log: ctx.log,
      ...(progress ? { progress: progress.report } : {}),
    }).finally(() => progress?.finish());
    const name = (id: string) => id.slice(0, id.lastIndexOf("@"));
    return {
      data: result,
      text: (s) => {
        const lines = result.updates.map((u) =>
          u.changes.length === 0
            ? `${s.ok} ${name(u.id)} is already at the latest version (${u.to}).`
            : `${s.ok} Plugin "${name(u.id)}" updated from ${u.from} to ${u.to} for scope ${result.scope} (${u.changes.join("; ")}).`,
        );
        if (result.dependencies.length) lines.push(`  + ${result.dependencies.length} new ${result.dependencies.length === 1 ? "dependency" : "dependencies"}: ${result.dependencies.map(name).join(", ")}`);
        if (result.removedCacheDirs.length) lines.push(`  Removed ${result.removedCacheDirs.length} unused cache ${result.removedCacheDirs.length === 1 ? "version" : "versions"}.`);
        return lines.join("\n");
      },
    };
  },
};
