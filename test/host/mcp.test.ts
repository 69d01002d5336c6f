import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startMcpServers, type McpSession } from "../../host/mcp/start-mcp-servers.js";
import { startForwardProxy } from "../support/forward-proxy.js";
import { requireTool } from "../support/real-parts.js";
import { loadPlugin, makeArea } from "./loaded-plugin-fixture.js";

const sdkServer = join(process.cwd(), "node_modules/@modelcontextprotocol/sdk/dist/esm/server");

/** A stdio MCP server built with the SDK, reporting what it sees from inside the sandbox. */
const probeServer = `
import { McpServer } from ${JSON.stringify(`${sdkServer}/mcp.js`)};
import { StdioServerTransport } from ${JSON.stringify(`${sdkServer}/stdio.js`)};
import { existsSync } from "node:fs";
const server = new McpServer({ name: "probe", version: "1.0.0" });
server.registerTool("look", { description: "what the server sees" }, async () => ({
  content: [{ type: "text", text: JSON.stringify({
    argv: process.argv.slice(2),
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(CLAUDE_|GREETING|FROM_HOST|DEFAULTED|HOST_SECRET)/.test(k))),
    secretVisible: existsSync(process.env.SECRET_PATH),
    cwd: process.cwd(),
  }) }],
}));
server.registerTool("fail", { description: "always fails" }, async () => ({ content: [{ type: "text", text: "it broke" }], isError: true }));
await server.connect(new StdioServerTransport());
`;

describe("startMcpServers", () => {
  const area = makeArea("agent-mcp-");
  let http: Server;
  let session: McpSession;
  let remoteRoot: string;
  let mcpUrl: string;
  const secretPath = join(area.base, "host-secret.txt");

  beforeAll(async () => {
    requireTool("bwrap");
    writeFileSync(secretPath, "TOP-SECRET");
    http = createServer(async (req, res) => {
      if (req.headers.authorization !== "Bearer tok-123") {
        res.writeHead(401).end();
        return;
      }
      const mcp = new McpServer({ name: "remote", version: "1.0.0" });
      mcp.registerTool("add", { description: "adds two numbers", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
        content: [{ type: "text", text: String(a + b) }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => void transport.close().then(() => mcp.close()));
      await mcp.connect(transport);
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const port = (http.address() as AddressInfo).port;

    const probeRoot = area.plugin("probe-kit", {
      ".claude-plugin/plugin.json": JSON.stringify({
        name: "probe-kit",
        version: "1.0.0",
        userConfig: { greeting: { type: "string", title: "Greeting", description: "g", default: "hello-default" } },
        permissions: { env: ["FROM_HOST"] },
      }),
      "server.mjs": probeServer,
      ".mcp.json": JSON.stringify({
        mcpServers: {
          probe: {
            command: "node",
            args: ["${CLAUDE_PLUGIN_ROOT}/server.mjs", "${user_config.greeting}", "${CLAUDE_PROJECT_DIR}"],
            env: { GREETING: "${user_config.greeting}", FROM_HOST: "${FROM_HOST}", DEFAULTED: "${HOST_SECRET:-fallback}", SECRET_PATH: secretPath },
          },
          broken: { command: "/nonexistent/mcp-server" },
        },
      }),
    });
    mcpUrl = `http://127.0.0.1:${port}/mcp`;
    remoteRoot = area.plugin("remote-kit", {
      ".claude-plugin/plugin.json": JSON.stringify({
        name: "remote-kit",
        version: "1.0.0",
        userConfig: { token: { type: "string", title: "Token", description: "t", sensitive: true } },
        mcpServers: { api: { type: "http", url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: "Bearer ${user_config.token}" } } },
      }),
    });
    process.env.FROM_HOST = "passed-through";
    process.env.HOST_SECRET = "must-not-leak";
    session = await startMcpServers(
      [loadPlugin(probeRoot, area.dataDir("probe")), loadPlugin(remoteRoot, area.dataDir("remote"), { config: { token: "tok-123" } })],
      area.env,
    );
  });

  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => http?.close(resolve));
    delete process.env.FROM_HOST;
    delete process.env.HOST_SECRET;
    area.remove();
  });

  const tool = (name: string) => {
    const found = session.tools.find((t) => t.name === name);
    if (!found) throw new Error(`no tool ${name}; have ${session.tools.map((t) => t.name).join(", ")}`);
    return found;
  };
  const ctx = () => ({ signal: new AbortController().signal });

  it("names plugin MCP tools mcp__plugin_<plugin>_<server>__<tool>, stdio and http alike", () => {
    expect(session.tools.map((t) => t.name).sort()).toEqual(["mcp__plugin_probe-kit_probe__fail", "mcp__plugin_probe-kit_probe__look", "mcp__plugin_remote-kit_api__add"]);
    expect(tool("mcp__plugin_remote-kit_api__add").pluginId).toBe("remote-kit@test-market");
    expect(tool("mcp__plugin_remote-kit_api__add").inputSchema).toMatchObject({ type: "object", properties: { a: { type: "number" } } });
  });

  it("a server that cannot start is a warning naming the plugin and server, and the others still work", () => {
    expect(area.warnings.some((w) => w.includes("probe-kit@test-market") && w.includes('"broken"'))).toBe(true);
  });

  it("substitutes plugin variables, user_config defaults and declared host variables; undeclared host variables take their default", async () => {
    const result = await tool("mcp__plugin_probe-kit_probe__look").call({}, ctx());
    const seen = JSON.parse(result.content);
    expect(seen.argv).toEqual(["hello-default", area.workspace]);
    expect(seen.env).toMatchObject({
      GREETING: "hello-default",
      FROM_HOST: "passed-through",
      DEFAULTED: "fallback",
      CLAUDE_PLUGIN_ROOT: join(area.base, "plugins", "probe-kit"),
      CLAUDE_PLUGIN_DATA: area.dataDir("probe"),
      CLAUDE_PROJECT_DIR: area.workspace,
      CLAUDE_PLUGIN_OPTION_GREETING: "hello-default",
    });
    expect(JSON.stringify(seen.env)).not.toContain("must-not-leak");
  });

  it("runs the stdio server inside the sandbox: a host file next to the plugin is invisible", async () => {
    const seen = JSON.parse((await tool("mcp__plugin_probe-kit_probe__look").call({}, ctx())).content);
    expect(existsSync(secretPath)).toBe(true);
    expect(seen.secretVisible).toBe(false);
    expect(seen.cwd).toBe(area.dataDir("probe"));
  });

  it("calls an http server with substituted headers and returns its text", async () => {
    expect(await tool("mcp__plugin_remote-kit_api__add").call({ a: 2, b: 40 }, ctx())).toEqual({ content: "42" });
  });

  it("reaches an http server through the host's HTTP_PROXY, and directly when NO_PROXY lists it", async () => {
    const proxy = await startForwardProxy();
    process.env.HTTP_PROXY = proxy.url;
    const connect = () => startMcpServers([loadPlugin(remoteRoot, area.dataDir("remote"), { config: { token: "tok-123" } })], area.env);
    try {
      const proxied = await connect();
      try {
        const add = proxied.tools.find((t) => t.name === "mcp__plugin_remote-kit_api__add")!;
        expect(await add.call({ a: 1, b: 2 }, ctx())).toEqual({ content: "3" });
      } finally {
        await proxied.close();
      }
      expect(proxy.seen.filter((line) => line === `POST ${mcpUrl}`).length).toBeGreaterThanOrEqual(3); // initialize, tools/list, tools/call
      const seen = proxy.seen.length;
      process.env.NO_PROXY = "127.0.0.1";
      const direct = await connect();
      try {
        expect(direct.tools.map((t) => t.name)).toEqual(["mcp__plugin_remote-kit_api__add"]);
      } finally {
        await direct.close();
      }
      expect(proxy.seen.length).toBe(seen);
    } finally {
      delete process.env.HTTP_PROXY;
      delete process.env.NO_PROXY;
      await proxy.close();
    }
  });

  it("passes a tool's isError through", async () => {
    expect(await tool("mcp__plugin_probe-kit_probe__fail").call({}, ctx())).toEqual({ content: "it broke", isError: true });
  });

  it("close() ends every stdio server process", async () => {
    const look = tool("mcp__plugin_probe-kit_probe__look");
    await session.close();
    await expect(look.call({}, ctx())).rejects.toThrow();
  });
});

describe("remembered tool lists", () => {
  const area = makeArea("agent-mcp-cache-");
  afterAll(() => area.remove());

  /** answers MCP only once a "go" file exists in its data dir */
  const gatedServer = `
import { McpServer } from ${JSON.stringify(`${sdkServer}/mcp.js`)};
import { StdioServerTransport } from ${JSON.stringify(`${sdkServer}/stdio.js`)};
import { existsSync } from "node:fs";
while (!existsSync(process.env.CLAUDE_PLUGIN_DATA + "/go")) await new Promise((r) => setTimeout(r, 20));
const server = new McpServer({ name: "gated", version: "1.0.0" });
server.registerTool("ping", { description: "answers pong" }, async () => ({ content: [{ type: "text", text: "pong" }] }));
await server.connect(new StdioServerTransport());
`;

  it("a second session offers an installed server's tools at once; the server starts on the first call, which waits for it", async () => {
    requireTool("bwrap");
    const root = area.plugin("gated", {
      ".claude-plugin/plugin.json": JSON.stringify({ name: "gated", version: "1.0.0" }),
      "server.mjs": gatedServer,
      ".mcp.json": JSON.stringify({ mcpServers: { gate: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server.mjs"] } } }),
    });
    const plugin = loadPlugin(root, area.dataDir("gated"));
    const gate = join(area.dataDir("gated"), "go");
    mkdirSync(area.dataDir("gated"), { recursive: true });
    writeFileSync(gate, "");
    const first = await startMcpServers([plugin], area.env);
    expect(first.tools.map((t) => t.name)).toEqual(["mcp__plugin_gated_gate__ping"]);
    await first.close();

    rmSync(gate);
    const second = await startMcpServers([plugin], area.env);
    try {
      expect(second.tools.map((t) => t.name)).toEqual(["mcp__plugin_gated_gate__ping"]);
      const call = second.tools[0]!.call({}, { signal: new AbortController().signal });
      writeFileSync(gate, "");
      expect(await call).toEqual({ content: "pong" });
    } finally {
      await second.close();
    }

    rmSync(gate);
    const third = await startMcpServers([plugin], area.env);
    const serverScript = join(root, "server.mjs");
    const processes = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processes()).not.toContain(serverScript); // remembered tools: the server starts on its first call
    const pending = third.tools[0]!.call({}, { signal: new AbortController().signal });
    for (let i = 0; i < 50 && !processes().includes(serverScript); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processes()).toContain(serverScript);
    await third.close(); // the server never answered: close stops it instead of waiting
    await expect(pending).rejects.toThrow();
    expect(processes()).not.toContain(serverScript);
    expect(area.warnings).toEqual([]);
  });

  it("--plugin-dir plugins are never served from the remembered list", async () => {
    const root = area.plugin("dev", {
      ".claude-plugin/plugin.json": JSON.stringify({ name: "dev", version: "1.0.0" }),
      "server.mjs": gatedServer,
      ".mcp.json": JSON.stringify({ mcpServers: { gate: { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/server.mjs"] } } }),
    });
    const plugin = loadPlugin(root, area.dataDir("dev"), { marketplace: "inline" });
    mkdirSync(area.dataDir("dev"), { recursive: true });
    writeFileSync(join(area.dataDir("dev"), "go"), "");
    const session = await startMcpServers([plugin], area.env);
    await session.close();
    expect(existsSync(join(area.dataDir("dev"), ".agent-cache"))).toBe(false);
  });
});
