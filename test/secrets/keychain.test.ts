import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fileSecretStore } from "../../installer/secrets/file-secret-store.js";
import { keychainSecretStore } from "../../installer/secrets/keychain-secret-store.js";
import { openSecretStore } from "../../installer/secrets/open-secret-store.js";
import { runKeychainHelper } from "../../installer/secrets/run-keychain-helper.js";
import { AgentError } from "../../schemas/errors.js";
import { requireTool } from "../support/real-parts.js";

/** Runs under scripts/keyring-session.sh: a private D-Bus session with an unlocked gnome-keyring. */
const service = `agent-test-${randomBytes(4).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "agent-secrets-"));
const plugin = "demo@mkt";
let silentBus: Server;
const held: Socket[] = [];

beforeAll(async () => {
  requireTool("gnome-keyring-daemon");
  requireTool("secret-tool");
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("keychain tests need a Secret Service: run them under scripts/keyring-session.sh (npm test does)");
  // a "bus" that accepts connections and never answers: the case where the keyring library hangs forever
  silentBus = createServer((socket) => {
    held.push(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => silentBus.listen(join(dir, "silent-bus.sock"), r));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silentBus?.close(r));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await keychainSecretStore({ service }).deleteAll(plugin);
});

const lookup = (account: string) => {
  try {
    return execFileSync("secret-tool", ["lookup", "service", service, "username", account], { encoding: "utf8" });
  } catch {
    return undefined;
  }
};

describe("OS keychain (gnome-keyring over D-Bus), called out of process", () => {
  it("stores, reads back, lists and deletes a secret; it really lives in the Secret Service", async () => {
    const store = keychainSecretStore({ service });
    await store.set(plugin, "API_TOKEN", "sk-test-12345");
    await store.set(plugin, "OTHER", "x");
    expect(await store.get(plugin, "API_TOKEN")).toBe("sk-test-12345");
    expect(lookup(`${plugin}/API_TOKEN`)).toBe("sk-test-12345");
    expect((await store.keys(plugin)).sort()).toEqual(["API_TOKEN", "OTHER"]);
    expect(await store.delete(plugin, "API_TOKEN")).toBe(true);
    expect(await store.delete(plugin, "API_TOKEN")).toBe(false);
    expect(await store.get(plugin, "API_TOKEN")).toBeUndefined();
    expect(lookup(`${plugin}/API_TOKEN`)).toBeUndefined();
    expect(await store.deleteAll(plugin)).toEqual(["OTHER"]);
    expect(await store.keys(plugin)).toEqual([]);
  });

  it("auto picks the keychain when a probe round trip works, without a warning", async () => {
    const warnings: string[] = [];
    const store = await openSecretStore({ secretsFile: join(dir, "unused.json"), service, warn: (w) => warnings.push(w) });
    expect(store.kind).toBe("keychain");
    expect(warnings).toEqual([]);
    await store.set(plugin, "K", "v");
    expect(lookup(`${plugin}/K`)).toBe("v");
    expect(() => statSync(join(dir, "unused.json"))).toThrow();
  });

  it("a bus that never answers: the helper is killed at the timeout with E_KEYCHAIN, and auto falls back to the file", async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "silent-bus.sock")}` };
    const error = await runKeychainHelper("get", service, `${plugin}/K`, undefined, { env, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).code).toBe("E_KEYCHAIN");
    expect((error as AgentError).message).toMatch(/did not answer within 1500 ms/);
    expect((error as AgentError).details).toMatchObject({ timedOut: true });
    const warnings: string[] = [];
    const store = await openSecretStore({ secretsFile: join(dir, "silent.json"), env, service, timeoutMs: 1500, warn: (w) => warnings.push(w) });
    expect(store.kind).toBe("file");
    expect(warnings[0]).toMatch(/did not answer/);
  });

  it("a failed keychain write never shows the secret in its message, details or hint", async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "no-such-bus.sock")}` };
    const error = (await runKeychainHelper("set", service, `${plugin}/K`, "sk-never-shown", { env }).catch((e: unknown) => e)) as AgentError;
    expect(error.code).toBe("E_KEYCHAIN");
    expect(JSON.stringify({ m: error.message, d: error.details, h: error.hint })).not.toContain("sk-never-shown");
  });
});

describe("no keychain: the 0600 file fallback", () => {
  const nowhere = () => ({ ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "nowhere.sock")}` });

  it("auto falls back to a 0600 file with a loud warning naming the file and the reason", async () => {
    const file = join(dir, "fallback/.credentials.json");
    const warnings: string[] = [];
    const store = await openSecretStore({ secretsFile: file, env: nowhere(), service, warn: (w) => warnings.push(w) });
    expect(store.kind).toBe("file");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(/UNENCRYPTED/);
    expect(warnings[0]).toMatch(/keychain is not usable/);
    await store.set(plugin, "API_TOKEN", "sk-file-1");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ pluginSecrets: { [plugin]: { API_TOKEN: "sk-file-1" } } });
    expect(await store.get(plugin, "API_TOKEN")).toBe("sk-file-1");
    expect(await store.deleteAll(plugin)).toEqual(["API_TOKEN"]);
  });

  it("without DBUS_SESSION_BUS_ADDRESS the reason says so", async () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const warnings: string[] = [];
    const store = await openSecretStore({ secretsFile: join(dir, "nobus.json"), env, service, warn: (w) => warnings.push(w) });
    expect(store.kind).toBe("file");
    expect(warnings[0]).toMatch(/DBUS_SESSION_BUS_ADDRESS is not set/);
  });

  it('mode "keychain" turns a missing keychain into E_KEYCHAIN with a hint instead of falling back', async () => {
    const error = (await openSecretStore({ secretsFile: join(dir, "k.json"), env: nowhere(), service, mode: "keychain" }).catch((e: unknown) => e)) as AgentError;
    expect(error.code).toBe("E_KEYCHAIN");
    expect(error.hint).toMatch(/AGENT_SECRET_STORE=file/);
    expect(() => statSync(join(dir, "k.json"))).toThrow();
  });

  it("keeps other keys of the credentials file, and never echoes a corrupt file's content", async () => {
    const file = join(dir, "shared.json");
    writeFileSync(file, JSON.stringify({ claudeAiOauth: { token: "keep-me" } }), { mode: 0o600 });
    const store = fileSecretStore(file);
    await store.set(plugin, "A", "1");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ claudeAiOauth: { token: "keep-me" }, pluginSecrets: { [plugin]: { A: "1" } } });
    writeFileSync(file, '{"pluginSecrets": {"x": "sk-corrupt-secret"');
    const error = (await store.get(plugin, "A").catch((e: unknown) => e)) as AgentError;
    expect(error.code).toBe("E_KEYCHAIN");
    expect(error.message + (error.hint ?? "")).not.toContain("sk-corrupt-secret");
  });
});
