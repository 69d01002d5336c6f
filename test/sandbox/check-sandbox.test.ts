import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkSandbox, findExecutable } from "../../host/sandbox/check-sandbox.js";
import { spawnPluginProcess } from "../../host/sandbox/spawn-plugin-process.js";
import type { PluginProcessSpec } from "../../host/sandbox/plugin-process-spec.js";
import { AgentError } from "../../schemas/errors.js";
import { requireTool } from "../support/real-parts.js";

const dir = mkdtempSync(join(tmpdir(), "agent-check-sandbox-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (over: Partial<PluginProcessSpec> = {}): PluginProcessSpec => ({
  command: "sh",
  args: ["-c", "echo ran"],
  env: {},
  pluginRoot: dir,
  dataDir: join(dir, "data"),
  sandbox: "auto",
  pluginId: "demo@m",
  ...over,
});
const output = (child: Awaited<ReturnType<typeof spawnPluginProcess>>) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });

describe("sandbox preflight", () => {
  const savedPath = process.env.PATH;
  afterEach(async () => {
    process.env.PATH = savedPath;
    await checkSandbox({ refresh: true });
  });

  it("finds a working bubblewrap here: version, user namespaces, seccomp for this arch, a process cap", async () => {
    requireTool("bwrap");
    const s = await checkSandbox({ refresh: true });
    expect(s.problems).toEqual([]);
    expect(s.available).toBe(true);
    expect(s.mechanism).toBe("bubblewrap");
    expect(s.bwrap!.version).toMatch(/^\d+\.\d+/);
    expect(s.userNamespaces).toBe(true);
    expect(s.seccomp).toEqual({ arch: process.arch });
    expect(s.preflight!.ok).toBe(true);
    expect(["cgroup", "rlimit"]).toContain(s.processCap);
  });

  it("without bwrap on PATH: E_SANDBOX_UNAVAILABLE naming bubblewrap and the install command, and nothing runs", async () => {
    const empty = mkdtempSync(join(dir, "path-"));
    process.env.PATH = empty;
    const s = await checkSandbox({ refresh: true });
    expect(s.available).toBe(false);
    expect(s.problems[0]).toEqual({ what: "bubblewrap (bwrap) is not installed", fix: expect.stringContaining("apt-get install -y bubblewrap") });
    const marker = join(dir, "marker");
    const error = await spawnPluginProcess(spec({ args: ["-c", `touch ${marker}`] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).code).toBe("E_SANDBOX_UNAVAILABLE");
    expect((error as AgentError).message).toMatch(/Refusing to start demo@m's process without a sandbox: bubblewrap \(bwrap\) is not installed/);
    expect((error as AgentError).hint).toContain("sudo apt-get install -y bubblewrap");
    expect((error as AgentError).hint).toMatch(/"sandbox": "off" in your user settings or pass --no-sandbox/);
    expect(() => readFileSync(marker)).toThrow();
  });

  it("when bwrap cannot create a user namespace: names it and says how to enable them", async () => {
    // a bwrap that fails the way bwrap does on kernels that forbid unprivileged user namespaces
    const fake = join(dir, "bwrap-no-userns");
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.8.0"; exit 0; }\necho "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const s = await checkSandbox({ bwrap: fake });
    expect(s.available).toBe(false);
    expect(s.preflight!.ok).toBe(false);
    expect(s.problems[0]!.what).toMatch(/bubblewrap cannot create a sandbox here: bwrap: No permissions to create new namespace/);
    expect(s.problems[0]!.fix).toMatch(/unprivileged_userns_clone=1|apparmor_restrict_unprivileged_userns=0/);
  });

  it("remembers a pass for this boot and bwrap binary, never a failure; a changed bwrap checks again", async () => {
    requireTool("bwrap");
    const cacheFile = join(dir, "sandbox-check.json");
    // a bwrap that counts its runs, then runs the real one
    const counter = join(dir, "runs");
    const wrapper = join(dir, "bwrap-counting");
    const real = findExecutable("bwrap")!;
    writeFileSync(wrapper, `#!/bin/sh\necho run >> ${counter}\nexec ${real} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const runs = () => (readFileSync(counter, { encoding: "utf8", flag: "a+" }).match(/run/g) ?? []).length;
    const env = { ...process.env, AGENT_BWRAP: wrapper };
    const first = await checkSandbox({ env, cacheFile });
    expect(first.available).toBe(true);
    expect(first.preflight).toMatchObject({ ok: true });
    expect(first.preflight!.remembered).toBeUndefined();
    expect(runs()).toBe(2); // --version and the test sandbox
    const second = await checkSandbox({ env, cacheFile });
    expect(second).toMatchObject({ available: true, bwrap: first.bwrap, seccomp: first.seccomp, preflight: { ok: true, remembered: true } });
    expect(runs()).toBe(2);
    // a different binary (new inode, size): checked again
    writeFileSync(`${wrapper}.new`, `#!/bin/sh\necho run >> ${counter}\n# another build\nexec ${real} "$@"\n`);
    chmodSync(`${wrapper}.new`, 0o755);
    renameSync(`${wrapper}.new`, wrapper);
    expect((await checkSandbox({ env, cacheFile })).preflight!.remembered).toBeUndefined();
    expect(runs()).toBe(4);
    // a recheck (agent doctor) runs bwrap even with a pass remembered, and remembers its pass again
    expect((await checkSandbox({ env, cacheFile, recheck: true })).preflight).toMatchObject({ ok: true });
    expect(runs()).toBe(6);
    expect(JSON.parse(readFileSync(cacheFile, "utf8")).key).toContain(wrapper);
    // a failing check is never remembered, and forgets the pass that was
    const failing = join(dir, "bwrap-fails");
    writeFileSync(failing, '#!/bin/sh\n[ "$1" = --version ] && { echo "bubblewrap 0.8.0"; exit 0; }\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    for (let i = 0; i < 2; i++) expect(await checkSandbox({ env: { ...process.env, AGENT_BWRAP: failing }, cacheFile })).toMatchObject({ available: false, preflight: { ok: false } });
    expect(() => readFileSync(cacheFile)).toThrow();
  });

  it('sandbox "off" runs the process bare with exactly its env, and warns on every start', async () => {
    process.env.AGENT_TEST_CANARY = "host-only";
    const warnings: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = await spawnPluginProcess(spec({ sandbox: "off", env: { ONLY: "mine" }, args: ["-c", 'echo "$ONLY:${AGENT_TEST_CANARY:-unset}"'], onWarning: (w) => warnings.push(w) }));
      expect(await output(child)).toEqual({ code: 0, out: "mine:unset\n" });
    }
    delete process.env.AGENT_TEST_CANARY;
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/demo@m: starting `sh` WITHOUT a sandbox/);
  });
});
