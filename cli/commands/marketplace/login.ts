import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "marketplace", "login"],
  args: ["<url>"],
  description: "keep a bearer token for a marketplace.json URL's host in the OS keychain (the token is read from stdin)",
  json: true,
  examples: ["agent plugin marketplace login https://plugins.example.com/marketplace.json < token.txt"],
  async run(ctx) {
    const [{ resolveHome }, { storeMarketplaceToken }] = await Promise.all([
      import("../../../installer/state-paths.js"),
      import("../../../installer/marketplaces/marketplace-token.js"),
    ]);
    let token = "";
    for await (const chunk of ctx.stdin) token += chunk;
    const url = String(ctx.args.url);
    const home = resolveHome({ ...(ctx.global.home ? { home: ctx.global.home } : {}), ...(ctx.global.claudeHome ? { claudeHome: ctx.global.claudeHome } : {}), env: ctx.env });
    const store = await storeMarketplaceToken(home, ctx.env, url, token.trim(), ctx.log);
    const origin = new URL(url).origin;
    return {
      data: { origin, store },
      text: (s) => `${s.ok} Token for ${origin} stored in the ${store === "keychain" ? "OS keychain" : "0600 secrets file"}; url marketplaces on that host send it as a bearer token`,
    };
  },
};
