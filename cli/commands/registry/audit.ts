import type { CommandSpec } from "../../command-spec.js";
import type { AuditEntry } from "../../../registry/server/storage/storage.js";

export const command: CommandSpec<AuditEntry[]> = {
  path: ["registry", "audit"],
  description: "show the registry's append-only log of writes (publish, unpublish, tags, owners, tokens)",
  options: [
    { flags: "--package <name>", description: "only entries about this package" },
    { flags: "--limit <n>", description: "only the newest n entries" },
    { flags: "--data <dir>", description: "data directory of the embedded store (default <agent home>/registry)" },
    { flags: "--database <url>", description: "the registry's PostgreSQL database instead" },
  ],
  json: true,
  examples: ["agent registry audit", "agent registry audit --package @acme/review --json"],
  async run(ctx) {
    const o = ctx.options as { package?: string; limit?: string; data?: string; database?: string };
    const [{ registryDataDir }, { openStorage }] = await Promise.all([import("../../../registry/server/data-dir.js"), import("../../../registry/server/open-storage.js")]);
    const storage = await openStorage({ dataDir: registryDataDir(o.data, ctx.cwd, ctx.env, ctx.global.home), database: o.database });
    try {
      const limit = o.limit === undefined ? undefined : Number.parseInt(o.limit, 10);
      const entries = await storage.listAudit({ ...(o.package ? { package: o.package } : {}), ...(limit && limit > 0 ? { limit } : {}) });
      return {
        data: entries,
        text: (s) =>
          entries.length === 0
            ? "No writes recorded."
            : entries
                .map((e) => `${s.dim(e.at)} ${e.actor.padEnd(12)} ${e.action.padEnd(12)} ${e.package ? `${e.package}${e.version ? `@${e.version}` : ""}` : ""}${e.detail ? ` ${s.dim(JSON.stringify(e.detail))}` : ""}`)
                .join("\n"),
      };
    } finally {
      await storage.close();
    }
  },
};
