import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["registry", "serve"],
  description: "run a private npm-compatible plugin registry with a marketplace.json endpoint and a web catalog",
  options: [
    { flags: "--port <port>", description: "TCP port (0 picks a free one)", default: "4873" },
    { flags: "--host <host>", description: "address to listen on", default: "127.0.0.1" },
    { flags: "--data <dir>", description: "data directory of the embedded store (default <agent home>/registry)" },
    { flags: "--database <url>", description: "store metadata and tarballs in PostgreSQL (postgres://…) instead" },
    { flags: "--private", description: "every read needs a token" },
    { flags: "--signing-key <pem>", description: "ed25519 private key: sign /marketplace.json (signature at /marketplace.json.sig)" },
    { flags: "--public-url <url>", description: "URL clients reach the registry at (default: each request's Host)" },
    { flags: "--name <name>", description: "marketplace name in /marketplace.json", default: "agent-registry" },
    { flags: "--max-body <bytes>", description: "largest request body", default: String(25 * 1024 * 1024) },
  ],
  json: true,
  examples: [
    "agent registry serve --port 4873 --data ./registry-data",
    "AGENT_REGISTRY_ADMIN_TOKEN=$TOKEN agent registry serve --private --signing-key catalog.pem",
    "agent registry serve --database postgres://registry@db/registry --host 0.0.0.0",
  ],
  async run(ctx) {
    const o = ctx.options as { port: string; host: string; data?: string; database?: string; private?: boolean; signingKey?: string; publicUrl?: string; name: string; maxBody: string };
    const [{ AgentError }, { registryDataDir }, { openStorage }, { startRegistryServer }] = await Promise.all([
      import("../../../schemas/errors.js"),
      import("../../../registry/server/data-dir.js"),
      import("../../../registry/server/open-storage.js"),
      import("../../../registry/server/start-server.js"),
    ]);
    const port = Number.parseInt(o.port, 10);
    const maxBodyBytes = Number.parseInt(o.maxBody, 10);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AgentError("E_USAGE", `--port ${o.port} is not a port number`, { hint: "Use 0–65535." });
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) throw new AgentError("E_USAGE", `--max-body ${o.maxBody} is not a byte count ≥ 1024`, { hint: "e.g. --max-body 26214400" });
    const { resolve } = await import("node:path");
    const signingKey = o.signingKey ? await (await import("../../../registry/server/catalog/sign-catalog.js")).readSigningKey(resolve(ctx.cwd, o.signingKey)) : undefined;
    const dataDir = registryDataDir(o.data, ctx.cwd, ctx.env, ctx.global.home);
    const storage = await openStorage({ dataDir, database: o.database });
    const running = await startRegistryServer({
      storage,
      port,
      host: o.host,
      private: Boolean(o.private),
      marketplaceName: o.name,
      limits: { maxBodyBytes },
      ...(signingKey ? { signingKey } : {}),
      ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
      ...(ctx.env.AGENT_REGISTRY_ADMIN_TOKEN ? { adminToken: ctx.env.AGENT_REGISTRY_ADMIN_TOKEN } : {}),
    });
    const started = { url: running.url, storage: storage.kind, dataDir: o.database ? undefined : dataDir, private: Boolean(o.private), adminToken: running.adminToken };
    if (ctx.global.json) ctx.stdout.write(JSON.stringify(started) + "\n");
    else {
      ctx.stdout.write(`Registry listening on ${running.url}/\n`);
      ctx.stdout.write(`  marketplace: ${running.url}/marketplace.json\n`);
      if (running.adminToken) ctx.stdout.write(`  admin token (shown once): ${running.adminToken}\n`);
    }
    await new Promise<void>((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await running.close();
    return { data: { ...started, adminToken: undefined, stopped: true }, text: "" };
  },
};
