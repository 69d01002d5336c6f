import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkSandbox } from "../../host/sandbox/check-sandbox.js";
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
