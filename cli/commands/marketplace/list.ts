import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "marketplace", "list"],
  aliases: ["ls"],
  description: "list the added marketplaces, and those declared in settings but not fetched yet (reads local state only; works offline)",
  json: true,
  examples: ["agent plugin marketplace list", "agent plugin marketplace list --json"],
  async run(ctx) {
    const [{ stateContext }, { packageRoot }, { listMarketplaces }, { describe }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/marketplaces/list-marketplaces.js"),
      import("../../../installer/marketplaces/add-marketplace.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const { loadKnownMarketplaces, loadManagedSettings } = await import("../../../installer/state/state-files.js");
    const known = await loadKnownMarketplaces(state.paths);
    const listings = await listMarketplaces(state);
    const { declaredMarketplaces } = await import("../../../installer/marketplaces/declared-marketplaces.js");
    const declared = await declaredMarketplaces(state, await loadManagedSettings(state.paths));
    return {
      data: listings,
      text: (s) => {
        if (listings.length === 0) return "No marketplaces configured. Add one with `agent plugin marketplace add <source>`.";
        const lines = ["Configured marketplaces:", ""];
        for (const m of listings) {
          lines.push(`  ${s.bullet} ${s.bold(m.name)}`, `    Source: ${describe(known[m.name]?.source ?? declared.get(m.name)!.source)}`);
          if (m.declaredOnly) lines.push("    Declared in settings, not fetched yet: run `agent plugin marketplace update` to fetch it");
          if (m.commit) lines.push(`    Commit: ${m.commit.slice(0, 12)}`);
          if (m.lastUpdated) lines.push(`    Updated: ${m.lastUpdated}`);
          lines.push("");
        }
        return lines.join("\n").trimEnd();
      },
    };
  },
};
