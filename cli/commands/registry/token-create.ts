import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["registry", "token", "create"],
  description: "mint a registry token for a user (shown once; only its sha256 is stored)",
  options: [
    { flags: "--user <user>", description: "user the token acts as (created if new)" },
    { flags: "--scope <scope>", description: "what the token may do", choices: ["read", "publish", "admin"], default: "read" },
    { flags: "--label <label>", description: "note shown in listings" },
    { flags: "--data <dir>", description: "data directory of the embedded store (default <agent home>/registry)" },
    { flags: "--database <url>", description: "the registry's PostgreSQL database instead" },
  ],
  json: true,
  examples: ["agent registry token create --user ci --scope publish", "agent registry token create --user alice --scope read --json"],
  async run(ctx) {
    const o = ctx.options as { user?: string; scope: "read" | "publish" | "admin"; label?: string; data?: string; database?: string };
    const [{ AgentError }, { registryDataDir }, { openStorage }, { mintToken }, { ensureUser }] = await Promise.all([
      import("../../../schemas/errors.js"),
      import("../../../registry/server/data-dir.js"),
      import("../../../registry/server/open-storage.js"),
      import("../../../registry/server/auth/token.js"),
      import("../../../registry/server/auth/ensure-user.js"),
    ]);
    if (!o.user || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(o.user)) {
      throw new AgentError("E_USAGE", "--user <name> is required (letters, digits, '.', '_', '-')", { hint: "agent registry token create --user ci --scope publish" });
    }
    const storage = await openStorage({ dataDir: registryDataDir(o.data, ctx.cwd, ctx.env, ctx.global.home), database: o.database });
    try {
      await ensureUser(storage, o.user);
      const { token, record } = await mintToken(storage, o.user, o.scope, o.label);
      await storage.appendAudit({ at: record.createdAt, actor: "cli", action: "token.create", detail: { user: o.user, scope: o.scope, prefix: record.prefix } });
      return { data: { token, user: o.user, scope: o.scope, createdAt: record.createdAt }, text: `${token}\n` };
    } finally {
      await storage.close();
    }
  },
};
