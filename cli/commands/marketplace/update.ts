import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "marketplace", "update"],
  args: ["[names...]"],
  description: "re-fetch marketplaces (all when no name is given, including those only declared in settings) and report plugins added, removed and bumped",
  json: true,
  examples: ["agent plugin marketplace update", "agent plugin marketplace update team-tools --json"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { updateMarketplaces }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/marketplaces/update-marketplace.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const names = (ctx.args.names as string[] | undefined) ?? [];
    const results = await updateMarketplaces(state, names, ctx.log);
    const failed = results.filter((r) => !r.ok);
    return {
      data: results,
      exitCode: failed.length ? 1 : 0,
      text: (s) => {
        if (results.length === 0) return "No marketplaces configured.";
        const lines: string[] = [];
        for (const r of results) {
          if (!r.ok) {
            lines.push(`${s.fail} ${r.name}: ${r.error!.code} ${r.error!.message}`);
            continue;
          }
          const moved = r.commit && r.previousCommit && r.commit !== r.previousCommit ? ` (${r.previousCommit.slice(0, 12)} → ${r.commit.slice(0, 12)})` : "";
          lines.push(r.materialized ? `${s.ok} Fetched ${r.name} (declared in settings)` : `${s.ok} Updated ${r.name}${moved}`);
          const c = r.changes!;
          for (const n of c.added) lines.push(`    + ${n}`);
          for (const n of c.removed) lines.push(`    - ${n}`);
          for (const u of c.updated) lines.push(`    ~ ${u.name} ${u.from ?? "(none)"} → ${u.to ?? "(none)"}`);
          if (!c.added.length && !c.removed.length && !c.updated.length) lines.push("    no plugin changes");
        }
        lines.push(`${failed.length ? s.warn : s.ok} Updated ${results.length - failed.length} of ${results.length} marketplace(s)`);
        return lines.join("\n");
      },
    };
  },
};
