import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { readJson } from "./support/state-hash.js";

/** Sensitive userConfig values in the real OS keychain (gnome-keyring under scripts/keyring-session.sh). */
let home: string;
const plugin = `kc${process.pid}`;
const id = `${plugin}@mkt-kc`;

function keychainValue(key: string): string | undefined {
  try {
    return execFileSync(requireTool("secret-tool"), ["lookup", "service", "agent", "username", `${id}/${key}`], { encoding: "utf8", timeout: 10_000 });
  } catch {
    return undefined;
  }
}

const run = (...args: string[]) => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("no D-Bus session: run the tests under scripts/keyring-session.sh");
  return agent(args, { env: { AGENT_HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, AGENT_SECRET_STORE: "keychain" } });
};

beforeEach(() => {
  home = tempHome();
  const market = makeMarketplace("mkt-kc", [
    { name: plugin, version: "1.0.0", manifest: { userConfig: { api_token: { type: "string", title: "Token", description: "secret", sensitive: true }, region: { type: "string", title: "Region", description: "where" } } } },
  ]);
  registerMarketplaces(home, { "mkt-kc": market });
});

describe("secrets in the OS keychain", () => {
  it("install stores sensitive values only in the keychain; details sees them set; uninstall removes them", async () => {
    const r = await run("plugin", "install", id, "--config", "api_token=kc-s3cret", "--config", "region=eu");
    expect(r.status, r.stderr).toBe(0);
    expect(keychainValue("api_token")).toBe("kc-s3cret");
    expect(existsSync(join(home, ".credentials.json"))).toBe(false);
    for (const f of ["settings.json", "plugins/installed_plugins.json", "agent-lock.json"]) expect(readFileSync(join(home, f), "utf8")).not.toContain("kc-s3cret");
    expect(readJson(join(home, "settings.json")).pluginConfigs[id]).toEqual({ options: { region: "eu" } });
    const details = (await run("plugin", "details", id, "--json")).json();
    expect(details.config).toContainEqual(expect.objectContaining({ key: "api_token", sensitive: true, set: true }));
    expect(JSON.stringify(details)).not.toContain("kc-s3cret");
    expect((await run("plugin", "uninstall", id)).status).toBe(0);
    expect(keychainValue("api_token")).toBeUndefined();
  });

  it("uninstall --keep-data leaves the keychain entry for a later reinstall", async () => {
    expect((await run("plugin", "install", id, "--config", "api_token=kept")).status).toBe(0);
    expect((await run("plugin", "uninstall", id, "--keep-data")).status).toBe(0);
    expect(keychainValue("api_token")).toBe("kept");
    const again = await run("plugin", "install", id, "--json");
    expect(again.status, again.stdout).toBe(0);
    // the kept secret counts as set: only the plain option is reported missing
    expect(again.json().warnings.join("\n")).toContain("(region)");
    expect((await run("plugin", "uninstall", id)).status).toBe(0);
    expect(keychainValue("api_token")).toBeUndefined();
  });
});
