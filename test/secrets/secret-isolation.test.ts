import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pluginProcessSpec } from "../../host/plugin-env/plugin-process-spec-for.js";
import { spawnPluginProcess } from "../../host/sandbox/spawn-plugin-process.js";
import type { LoadedPlugin, SessionEnvironment } from "../../host/session/loaded-plugin.js";
import type { PluginInventory } from "../../registry/plugin/index.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "../installer/support/make-marketplace.js";
import { agent } from "../support/run-agent.js";
import { requireTool } from "../support/real-parts.js";

const dir = mkdtempSync(join(tmpdir(), "agent-secret-isolation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const path = join(root, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

describe("a sensitive userConfig value installed through the CLI", () => {
  const lookup = (account: string) => {
    try {
      return execFileSync("secret-tool", ["lookup", "service", "agent", "username", account], { encoding: "utf8" });
    } catch {
      return undefined;
    }
  };
  const setUp = () => {
    const home = tempHome();
    const market = makeMarketplace("sec", [
      {
        name: "vault",
        version: "1.0.0",
        manifest: {
          userConfig: {
            endpoint: { type: "string", title: "Endpoint", description: "where" },
            api_key: { type: "string", title: "API key", description: "the key", sensitive: true },
          },
        },
      },
    ]);
    registerMarketplaces(home, { sec: market });
    return home;
  };
  /** install, list, details, update, re-install with --debug: every output is kept */
  const lifecycle = async (env: NodeJS.ProcessEnv, secret: string) => {
    const outputs: string[] = [];
    const run = async (...args: string[]) => {
      const r = await agent(args, { env });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const install = await run("plugin", "install", "vault@sec", "--config", "endpoint=https://api.test", "--config", `api_key=${secret}`);
    expect(install.status).toBe(0);
    await run("plugin", "list", "--json");
    await run("plugin", "details", "vault@sec", "--json");
    await run("plugin", "update", "vault@sec", "--json");
    await run("plugin", "install", "vault@sec", "--config", "endpoint=https://other.test", "--debug");
    return { outputs, installStderr: install.stderr, run };
  };

  it("with a keychain: it is in the keychain and in no file under AGENT_HOME or any output; uninstall removes it", async () => {
    requireTool("secret-tool");
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("run under scripts/keyring-session.sh (npm test does)");
    const secret = `sk-live-${Date.now()}-keychain`;
    const home = setUp();
    const { outputs, run } = await lifecycle({ AGENT_HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }, secret);
    expect(filesUnder(home).filter((f) => readFileSync(f).includes(secret))).toEqual([]);
    expect(outputs.filter((o) => o.includes(secret))).toEqual([]);
    expect(lookup("vault@sec/api_key")).toBe(secret);
    expect(JSON.parse(readFileSync(join(home, "settings.json"), "utf8")).pluginConfigs["vault@sec"].options).toEqual({ endpoint: "https://other.test" });
    expect((await run("plugin", "uninstall", "vault@sec")).status).toBe(0);
    expect(lookup("vault@sec/api_key")).toBeUndefined();
  });

  it("without a keychain: only the 0600 credentials file holds it, and install warns loudly", async () => {
    const secret = `sk-live-${Date.now()}-file`;
    const home = setUp();
    const { outputs, installStderr } = await lifecycle({ AGENT_HOME: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "no-bus.sock")}` }, secret);
    expect(installStderr).toMatch(/keychain is not usable.*UNENCRYPTED/s);
    const leaks = filesUnder(home)
      .filter((f) => !f.endsWith(".credentials.json"))
      .filter((f) => readFileSync(f).includes(secret));
    expect(leaks).toEqual([]);
    expect(outputs.filter((o) => o.includes(secret))).toEqual([]);
    const credentials = join(home, ".credentials.json");
    expect(JSON.parse(readFileSync(credentials, "utf8")).pluginSecrets["vault@sec"]).toEqual({ api_key: secret });
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
  });
});

describe("a plugin process sees only its own config values", () => {
  const plugin = (name: string, config: LoadedPlugin["config"], secrets: string[]): LoadedPlugin => {
    const root = join(dir, name, "root");
    mkdirSync(root, { recursive: true });
    return {
      id: `${name}@m`,
      name,
      marketplace: "m",
      root,
      dataDir: join(dir, name, "data"),
      manifest: { name, userConfig: { token: { type: "string", title: "Token", description: "t", sensitive: true }, region: { type: "string", title: "Region", description: "r" } } },
      inventory: { root } as PluginInventory,
      permissions: { secrets },
      config,
    } as LoadedPlugin;
  };

  it("CLAUDE_PLUGIN_OPTION_* of its own plugin, its secret only when approved, nothing of another plugin, nothing of the host", async () => {
    requireTool("bwrap");
    const workspace = join(dir, "ws");
    mkdirSync(workspace, { recursive: true });
    process.env.AGENT_HOST_ONLY_SECRET = "host-only-value";
    const session: SessionEnvironment = { projectDir: workspace, sandbox: "auto", hiddenPaths: [], onWarning: () => {} };
    const a = plugin("alpha", { token: "sk-alpha", region: "eu" }, ["token"]);
    const b = plugin("beta", { token: "sk-beta", region: "us" }, []);
    const envOf = async (p: LoadedPlugin) => {
      const child = await spawnPluginProcess(pluginProcessSpec(p, session, { command: "sh", args: ["-c", "env"] }));
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stdin!.end();
      await new Promise((r) => child.on("close", r));
      return Object.fromEntries(out.trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    };
    const alphaEnv = await envOf(a);
    const betaEnv = await envOf(b);
    delete process.env.AGENT_HOST_ONLY_SECRET;
    const options = (e: Record<string, string>) => Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith("CLAUDE_PLUGIN_OPTION_")));
    expect(options(alphaEnv)).toEqual({ CLAUDE_PLUGIN_OPTION_TOKEN: "sk-alpha", CLAUDE_PLUGIN_OPTION_REGION: "eu" });
    // beta did not get approval for its secret, and nobody sees the other plugin's values
    expect(options(betaEnv)).toEqual({ CLAUDE_PLUGIN_OPTION_REGION: "us" });
    expect(JSON.stringify(alphaEnv)).not.toMatch(/sk-beta|"us"/);
    expect(JSON.stringify(betaEnv)).not.toMatch(/sk-alpha|sk-beta|"eu"/);
    for (const e of [alphaEnv, betaEnv]) expect(JSON.stringify(e)).not.toContain("host-only-value");
    expect(alphaEnv.CLAUDE_PLUGIN_ROOT).toBe(a.root);
  });
});
