import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { readJson } from "./support/state-hash.js";

describe("what install copies into the cache", () => {
  it("keeps links inside the plugin, copies links to elsewhere in the marketplace, drops links leaving it, and skips .git", async () => {
    const home = tempHome();
    const market = makeMarketplace("mkt-links", [{ name: "linky", version: "1.0.0", files: { "docs/guide.md": "guide\n", ".git/HEAD": "ref: x\n" } }]);
    writeFileSync(join(market, "SHARED.md"), "shared text\n");
    const plugin = join(market, "plugins/linky");
    symlinkSync("docs/guide.md", join(plugin, "inside.md"));
    symlinkSync("../../SHARED.md", join(plugin, "shared.md"));
    symlinkSync("/etc/passwd", join(plugin, "escape.md"));
    registerMarketplaces(home, { "mkt-links": market });

    const r = await agent(["plugin", "install", "linky@mkt-links"], { env: { AGENT_HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    const cached = readJson(join(home, "plugins/installed_plugins.json")).plugins["linky@mkt-links"][0].installPath;
    expect(readlinkSync(join(cached, "inside.md"))).toBe("docs/guide.md");
    expect(lstatSync(join(cached, "shared.md")).isFile()).toBe(true);
    expect(readFileSync(join(cached, "shared.md"), "utf8")).toBe("shared text\n");
    expect(existsSync(join(cached, "escape.md"))).toBe(false);
    expect(lstatSync(join(cached, "escape.md"), { throwIfNoEntry: false })).toBeUndefined();
    expect(existsSync(join(cached, ".git"))).toBe(false);
  });

  it("gives the cache version dir the mode the umask gives its subdirs (0755 under 022), not a temp dir's 0700", async () => {
    const home = tempHome();
    const market = makeMarketplace("mkt-mode", [{ name: "moded", version: "1.0.0", files: { "docs/guide.md": "guide\n" } }]);
    registerMarketplaces(home, { "mkt-mode": market });
    const r = await agent(["plugin", "install", "moded@mkt-mode"], { env: { AGENT_HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    const cached = readJson(join(home, "plugins/installed_plugins.json")).plugins["moded@mkt-mode"][0].installPath;
    const expected = 0o777 & ~process.umask();
    expect((statSync(cached).mode & 0o777).toString(8)).toBe(expected.toString(8));
    expect((statSync(join(cached, "docs")).mode & 0o777).toString(8)).toBe(expected.toString(8));
  });
});
