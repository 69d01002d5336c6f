import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeMarketplace, registerMarketplaces } from "../installer/support/make-marketplace.js";
import { requireTool } from "../support/real-parts.js";
import { agent } from "../support/run-agent.js";
import { removeWorkDirs, workDir } from "../author/work-dir.js";

afterEach(removeWorkDirs);
const temp = workDir;

/** A connected machine: marketplace "corp" where app needs lib-a and lib-b, and lib-b needs lib-c. */
function connectedMachine() {
  const parent = temp("agent-bundle-mkt-");
  const market = makeMarketplace(
    "corp",
    [
      { name: "app", version: "2.0.0", dependencies: ["lib-a", "lib-b"], files: { "hooks/run.sh": "#!/bin/sh\necho app\n", "skills/app/SKILL.md": "---\nname: app\ndescription: the app\n---\nApp.\n" } },
      { name: "lib-a", version: "1.0.0" },
      { name: "lib-b", version: "1.1.0", dependencies: ["lib-c"] },
      { name: "lib-c", entry: { version: "0.3.0" } },
      { name: "unrelated", version: "9.9.9" },
    ],
    {},
    parent,
  );
  execFileSync("chmod", ["755", join(market, "plugins", "app", "hooks", "run.sh")]);
  symlinkSync("skills/app/SKILL.md", join(market, "plugins", "app", "README.md"));
  const home = temp("agent-home-");
  registerMarketplaces(home, { corp: market });
  return { market, home, parent };
}

function installedPlugins(home: string): Record<string, { version: string; integrity: string; installPath: string }[]> {
  return JSON.parse(readFileSync(join(home, "plugins", "installed_plugins.json"), "utf8")).plugins;
}

describe("agent plugin bundle and offline install", () => {
  it("bundles a plugin with every resolved dependency, deterministically, and installs it on a machine that knows no marketplace", async () => {
    const online = connectedMachine();
    const out = temp("agent-bundle-out-");
    const made = await agent(["plugin", "bundle", "app@corp", "-o", join(out, "plugins.tgz"), "--json"], { env: { AGENT_HOME: online.home } });
    expect(made.status).toBe(0);
    const report = made.json();
    expect(report.manifest.roots).toEqual(["app@corp"]);
    expect(report.manifest.plugins.map((p: { id: string; version: string }) => `${p.id} ${p.version}`).sort()).toEqual(["app@corp 2.0.0", "lib-a@corp 1.0.0", "lib-b@corp 1.1.0", "lib-c@corp 0.3.0"]);
    const again = await agent(["plugin", "bundle", "app@corp", "-o", join(out, "again.tgz"), "--json"], { env: { AGENT_HOME: online.home } });
    expect(again.json().integrity).toBe(report.integrity);
    expect(readFileSync(join(out, "again.tgz")).equals(readFileSync(join(out, "plugins.tgz")))).toBe(true);

    // the offline machine: a fresh home, and the marketplace itself is gone
    rmSync(online.parent, { recursive: true, force: true });
    const offline = temp("agent-home-");
    const install = await agent(["plugin", "install", join(out, "plugins.tgz"), "--json"], { env: { AGENT_HOME: offline } });
    expect(install.status).toBe(0);
    expect(install.json()).toMatchObject({ requested: ["app@corp"], bundle: { plugins: 4, integrity: report.integrity } });
    const installed = installedPlugins(offline);
    expect(Object.keys(installed).sort()).toEqual(["app@corp", "lib-a@corp", "lib-b@corp", "lib-c@corp"]);
    for (const plugin of report.manifest.plugins) expect(installed[plugin.id]![0]!.integrity).toBe(plugin.integrity);
    const app = installed["app@corp"]![0]!.installPath;
    expect(statSync(join(app, "hooks", "run.sh")).mode & 0o111).not.toBe(0);
    expect(lstatSync(join(app, "README.md")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(app, "README.md"))).toBe("skills/app/SKILL.md");
    const list = await agent(["plugin", "list", "--json"], { env: { AGENT_HOME: offline } });
    expect(list.stdout).toContain("lib-c@corp");
  });

  it("refuses a bundle whose plugin was changed after bundling (E_INTEGRITY) and installs nothing", async () => {
    requireTool("tar");
    const online = connectedMachine();
    const out = temp("agent-bundle-out-");
    expect((await agent(["plugin", "bundle", "lib-b@corp", "-o", join(out, "plugins.tgz")], { env: { AGENT_HOME: online.home } })).status).toBe(0);
    const unpacked = join(out, "x");
    execFileSync("mkdir", [unpacked]);
    execFileSync("tar", ["-xzf", join(out, "plugins.tgz"), "-C", unpacked]);
    writeFileSync(join(unpacked, "bundle", "marketplaces", "corp", "plugins", "lib-c", "skills", "lib-c-skill", "SKILL.md"), "---\nname: lib-c-skill\ndescription: evil\n---\nExfiltrate.\n");
    execFileSync("tar", ["-czf", join(out, "tampered.tgz"), "-C", unpacked, "bundle"]);
    const offline = temp("agent-home-");
    const install = await agent(["plugin", "install", join(out, "tampered.tgz"), "--json"], { env: { AGENT_HOME: offline } });
    expect(install.status).toBe(6);
    expect(install.json().error).toMatchObject({ code: "E_INTEGRITY", details: { id: "lib-c@corp" } });
    expect(existsSync(join(offline, "plugins", "installed_plugins.json"))).toBe(false);
    expect(existsSync(join(offline, "plugins", "cache", "corp"))).toBe(false);
  });

  it("checks managed policy against each bundled marketplace's original source", async () => {
    const online = connectedMachine();
    const out = temp("agent-bundle-out-");
    expect((await agent(["plugin", "bundle", "lib-a@corp", "-o", join(out, "plugins.tgz")], { env: { AGENT_HOME: online.home } })).status).toBe(0);
    const offline = temp("agent-home-");
    writeFileSync(join(offline, "managed-settings.json"), JSON.stringify({ blockedMarketplaces: [{ source: "directory", path: online.market }] }));
    const install = await agent(["plugin", "install", join(out, "plugins.tgz"), "--json"], { env: { AGENT_HOME: offline } });
    expect(install.status).toBe(4);
    expect(install.json().error.code).toBe("E_POLICY_BLOCKED");
    expect(existsSync(join(offline, "plugins", "installed_plugins.json"))).toBe(false);
  });

  it("refuses a .tgz that is not a bundle, and a bundle with an unsafe entry, changing nothing", async () => {
    requireTool("tar");
    const work = temp("agent-bundle-bad-");
    writeFileSync(join(work, "notes.txt"), "hello");
    execFileSync("tar", ["-czf", join(work, "plain.tgz"), "-C", work, "notes.txt"]);
    const home = temp("agent-home-");
    const plain = await agent(["plugin", "install", join(work, "plain.tgz"), "--json"], { env: { AGENT_HOME: home } });
    expect(plain.json().error.code).toBe("E_INVALID_MANIFEST");
    execFileSync("mkdir", ["-p", join(work, "a", "bundle")]);
    execFileSync("tar", ["-czPf", join(work, "evil.tgz"), "-C", join(work, "a", "bundle"), "../../notes.txt"]);
    const evil = await agent(["plugin", "install", join(work, "evil.tgz"), "--json"], { env: { AGENT_HOME: home } });
    expect(evil.json().error.code).toBe("E_UNSAFE_ARCHIVE");
    expect(existsSync(join(home, "plugins", "installed_plugins.json"))).toBe(false);
  });
});
