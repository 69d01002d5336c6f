import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { requireTool } from "../support/real-parts.js";

const dir = mkdtempSync(join(tmpdir(), "agent-doctor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const home = (name: string) => {
  const h = join(dir, name);
  mkdirSync(h, { recursive: true });
  return h;
};
/** the test's own environment: PATH with bwrap and git, and the keyring session's bus */
const goodEnv = () => ({ PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS });

describe("agent doctor", () => {
  it("all good here: sandbox mechanism, bwrap version, user namespaces, seccomp, process cap, keychain, git, node, state files; exit 0", async () => {
    requireTool("bwrap");
    requireTool("git");
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("run under scripts/keyring-session.sh (npm test does)");
    const h = home("good");
    writeFileSync(join(h, "settings.json"), JSON.stringify({ enabledPlugins: {} }));
    const r = await agent(["doctor", "--json"], { env: { ...goodEnv(), AGENT_HOME: h } });
    expect(r.status).toBe(0);
    const report = r.json();
    expect(report.ok).toBe(true);
    expect(report.sandbox).toMatchObject({ ok: true, mechanism: "bubblewrap", available: true, mode: "auto", userNamespaces: true, seccomp: { arch: process.arch }, problems: [] });
    expect(report.sandbox.bwrap.version).toMatch(/^\d+\.\d+/);
    expect(["cgroup", "rlimit"]).toContain(report.sandbox.processCap);
    expect(report.keychain).toMatchObject({ ok: true, store: "keychain" });
    expect(report.git.version).toMatch(/^\d+\.\d+/);
    expect(report.node.version).toBe(process.version);
    expect(report.state.files).toContainEqual({ file: join(h, "settings.json"), status: "ok" });
    const text = await agent(["doctor"], { env: { ...goodEnv(), AGENT_HOME: h } });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/sandbox\s+bubblewrap \d+\.\d+\S* works/);
    expect(text.stdout).toContain("all good");
  });

  it("no bwrap on PATH and no keychain: exit 1, says what is missing and how to fix it", async () => {
    const bin = join(dir, "bin-without-bwrap");
    mkdirSync(bin, { recursive: true });
    symlinkSync(requireTool("git"), join(bin, "git"));
    const r = await agent(["doctor", "--json"], { env: { PATH: bin, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "no-bus.sock")}`, AGENT_HOME: home("nothing") } });
    expect(r.status).toBe(1);
    const report = r.json();
    expect(report.ok).toBe(false);
    expect(report.sandbox.ok).toBe(false);
    expect(report.sandbox.problems[0].what).toBe("bubblewrap (bwrap) is not installed");
    expect(report.sandbox.hints[0]).toContain("apt-get install -y bubblewrap");
    expect(report.keychain).toMatchObject({ ok: false, store: "file", secretsFile: join(dir, "nothing/.credentials.json") });
    expect(report.keychain.reason).toMatch(/no-bus\.sock|connect/i);
    expect(report.keychain.hints[0]).toMatch(/gnome-keyring/);
    expect(report.git.ok).toBe(true);
    const text = await agent(["doctor"], { env: { PATH: bin, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, "no-bus.sock")}`, AGENT_HOME: home("nothing") } });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("fix: sudo apt-get install -y bubblewrap");
    expect(text.stdout).toContain("some checks failed");
  });

  it("a state file that does not parse fails the check and names the file", async () => {
    const h = home("corrupt");
    writeFileSync(join(h, "settings.json"), "{ not json");
    mkdirSync(join(h, "plugins"));
    writeFileSync(join(h, "plugins/installed_plugins.json"), JSON.stringify({ version: 2, plugins: {} }));
    const r = await agent(["doctor", "--json"], { env: { ...goodEnv(), AGENT_HOME: h } });
    expect(r.status).toBe(1);
    const report = r.json();
    expect(report.state.ok).toBe(false);
    expect(report.state.files).toContainEqual(expect.objectContaining({ file: join(h, "settings.json"), status: "invalid", error: expect.stringMatching(/not valid JSON/) }));
    expect(report.state.files).toContainEqual({ file: join(h, "plugins/installed_plugins.json"), status: "ok" });
    expect(report.state.hints).toEqual([`fix or remove ${join(h, "settings.json")}`]);
  });

  it('reports "sandbox": "off" from user settings as a warning with the way back', async () => {
    const h = home("off");
    writeFileSync(join(h, "settings.json"), JSON.stringify({ sandbox: "off" }));
    const r = await agent(["doctor", "--json"], { env: { ...goodEnv(), AGENT_HOME: h } });
    const report = r.json();
    expect(report.sandbox.mode).toBe("off");
    expect(report.sandbox.summary).toMatch(/turn it OFF/);
    expect(report.sandbox.hints).toContain(`remove "sandbox": "off" from ${join(h, "settings.json")} to confine plugin processes again`);
  });
});
