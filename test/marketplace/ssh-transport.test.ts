import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo } from "../support/git-server.js";
import { startSshServer, type SshServer } from "../support/ssh-server.js";
import { marketplaceJson, pluginTree, removeTempDirs } from "../sources/fixtures.js";
import { cliUser } from "./support.js";

afterAll(removeTempDirs);

describe("git over ssh: a real OpenSSH server on 127.0.0.1, with the user's own ssh settings", () => {
  let ssh: SshServer;
  let repos: string;
  let pluginSha: string;
  beforeAll(async () => {
    ssh = await startSshServer();
    repos = mkdtempSync(join(tmpdir(), "agent-ssh-repos-"));
    const remote = createBareRepo(repos, "remote-plugin", [pluginTree("far", "2.0.0")]);
    pluginSha = remote.commits[0]!;
    createBareRepo(repos, "mkt", [
      {
        ".claude-plugin/marketplace.json": marketplaceJson("ssh-mkt", [
          { name: "near", source: "./plugins/near" },
          { name: "far", source: { source: "url", url: ssh.url(join(repos, "remote-plugin.git")), sha: pluginSha } },
        ]),
        ...pluginTree("near", "1.0.0", "plugins/near/"),
      },
    ]);
  });
  afterAll(async () => {
    await ssh?.close();
  });

  it("marketplace add of an ssh:// URL clones it and records the commit; plugins install from it and from an ssh plugin source", async () => {
    const user = cliUser(ssh.sshEnv);
    const url = ssh.url(join(repos, "mkt.git"));
    const added = await user.run("plugin", "marketplace", "add", url, "--json");
    expect(added.status, added.stderr).toBe(0);
    const known = user.known()["ssh-mkt"];
    expect(known.source).toEqual({ source: "git", url });
    const installed = await user.run("plugin", "install", "near@ssh-mkt", "far@ssh-mkt", "--json");
    expect(installed.status, installed.stderr).toBe(0);
    const details = await user.run("plugin", "details", "far@ssh-mkt", "--json");
    expect(details.status, details.stderr).toBe(0);
    expect(details.json()).toMatchObject({ version: "2.0.0" });
    expect(JSON.stringify(details.json())).toContain(pluginSha);
  });

  it("a key the server refuses is E_AUTH with a hint, and the state dir is left exactly as it was", async () => {
    const user = cliUser(ssh.wrongKeyEnv);
    const before = user.hash();
    const r = await user.run("plugin", "marketplace", "add", ssh.url(join(repos, "mkt.git")), "--json");
    expect(r.status).not.toBe(0);
    const error = JSON.parse(r.stdout || r.stderr).error;
    expect(error.code).toBe("E_AUTH");
    expect(error.hint).toBeTruthy();
    expect(user.hash()).toBe(before);
  });
});
