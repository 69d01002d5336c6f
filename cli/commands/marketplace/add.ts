import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "marketplace", "add"],
  args: ["<source>"],
  description: "add a marketplace: owner/repo[@ref], a git URL (https, ssh, file://), a marketplace.json URL, or a local path",
  options: [
    { flags: "-s, --scope <scope>", description: "settings that declare it", choices: ["user", "project", "local"], default: "user" },
    { flags: "--sparse <paths...>", description: "git sources: check out only these directories (cone mode)" },
    { flags: "-f, --force", description: "replace a marketplace already added under the same name" },
    { flags: "--pubkey <pem|file>", description: "marketplace.json URLs: require a valid ed25519 signature (<url>.sig) by this key" },
  ],
  json: true,
  examples: [
    "agent plugin marketplace add anthropics/claude-plugins-official",
    "agent plugin marketplace add https://git.example.com/team/plugins.git#v2 --sparse .claude-plugin plugins/lint",
    "agent plugin marketplace add ./my-marketplace --scope project",
  ],
  async run(ctx) {
    // light modules first: the fetch starts before the settings schemas load, and runs while they do
    const [{ parseMarketplaceArg }, { prefetchMarketplace }, { resolveHome, statePaths }] = await Promise.all([
      import("../../../installer/marketplaces/parse-marketplace-arg.js"),
      import("../../../installer/marketplaces/prefetch-marketplace.js"),
      import("../../../installer/state-paths.js"),
    ]);
    const o = ctx.options as { scope: "user" | "project" | "local"; sparse?: string[]; force?: boolean; pubkey?: string };
    let source = await parseMarketplaceArg(String(ctx.args.source), ctx.cwd, ctx.env);
    if (o.sparse?.length) {
      if (source.source !== "git" && source.source !== "github") {
        const { AgentError } = await import("../../../schemas/errors.js");
        throw new AgentError("E_USAGE", `--sparse applies to git and GitHub sources only, not to a ${source.source} source`);
      }
      source = { ...source, sparsePaths: o.sparse };
    }
    if (o.pubkey) {
      if (source.source !== "url") {
        const { AgentError } = await import("../../../schemas/errors.js");
        throw new AgentError("E_USAGE", `--pubkey applies to marketplace.json URLs only, not to a ${source.source} source`);
      }
      const { readCatalogPubkey } = await import("../../../registry/sources/catalog-signature.js");
      source = { ...source, pubkey: await readCatalogPubkey(o.pubkey, ctx.cwd) };
    }
    ctx.log("Adding marketplace…");
    const where = { ...(ctx.global.home ? { home: ctx.global.home } : {}), ...(ctx.global.claudeHome ? { claudeHome: ctx.global.claudeHome } : {}), env: ctx.env };
    const { staging } = await prefetchMarketplace(statePaths(resolveHome(where), ctx.env), ctx.env, source, ctx.log);
    const [{ stateContext }, { packageRoot }, { addMarketplace, describe }] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/marketplaces/add-marketplace.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const result = await addMarketplace(state, { source, scope: o.scope, force: Boolean(o.force), log: ctx.log, staging });
    return {
      data: result,
      text: (s) =>
        `${s.ok} Successfully ${result.replaced ? "replaced" : "added"} marketplace: ${result.name} (declared in ${result.scope} settings)\n` +
        `  Source: ${describe(result.source)}${result.commit ? ` at ${result.commit.slice(0, 12)}` : ""} · ${result.plugins} plugin${result.plugins === 1 ? "" : "s"}`,
    };
  },
};
