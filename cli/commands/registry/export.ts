import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["registry", "export"],
  args: ["<dir>"],
  description: "write marketplace.json, packuments and tarballs that any static file host can serve (air-gapped mirrors)",
  options: [
    { flags: "--base-url <url>", description: "URL the directory will be served at (npm sources in marketplace.json point there)" },
    { flags: "--name <name>", description: "marketplace name", default: "agent-registry" },
    { flags: "--data <dir>", description: "data directory of the embedded store (default <agent home>/registry)" },
    { flags: "--database <url>", description: "the registry's PostgreSQL database instead" },
  ],
  json: true,
  examples: ["agent registry export ./mirror --base-url https://plugins.example.com/mirror"],
  async run(ctx) {
    const o = ctx.options as { baseUrl?: string; name: string; data?: string; database?: string };
    const [{ AgentError }, { resolve }, { registryDataDir }, { openStorage }, { exportStatic }] = await Promise.all([
      import("../../../schemas/errors.js"),
      import("node:path"),
      import("../../../registry/server/data-dir.js"),
      import("../../../registry/server/open-storage.js"),
      import("../../../registry/server/export/export-static.js"),
    ]);
    if (!o.baseUrl) throw new AgentError("E_USAGE", "--base-url <url> is required: packuments and marketplace.json need absolute tarball URLs", { hint: "agent registry export ./mirror --base-url https://plugins.example.com/mirror" });
    const storage = await openStorage({ dataDir: registryDataDir(o.data, ctx.cwd, ctx.env, ctx.global.home), database: o.database });
    try {
      const result = await exportStatic(storage, resolve(ctx.cwd, String(ctx.args.dir)), { baseUrl: o.baseUrl, marketplaceName: o.name });
      return {
        data: result,
        text: (s) => `${s.ok} Exported ${result.packages} package(s), ${result.versions} version(s), ${result.plugins} plugin(s) to ${result.dir}\n  Serve it at ${result.baseUrl}/ and add ${result.baseUrl}/marketplace.json`,
      };
    } finally {
      await storage.close();
    }
  },
};
