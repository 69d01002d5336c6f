import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPidsCgroup, joinThenExec, pidsCgroupParent } from "../../host/sandbox/pids-cgroup.js";

/** The root process cap: a per-sandbox pids cgroup that the started command is in from its first fork. */
function needsCgroupParent(): string {
  const parent = pidsCgroupParent();
  if (!parent) throw new Error(`no writable pids cgroup (uid ${process.getuid?.()}): the root process cap needs one; run the tests as root`);
  return parent;
}

function outcome(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

const ownPidsCgroup = () => readFileSync("/proc/self/cgroup", "utf8").split("\n").find((line) => /:pids:/.test(line));
// reports its own cgroup and a child's, then forks 40 sleepers: no more than the cap may exist
const storm = "( i=0; while [ $i -lt 40 ]; do (echo x; exec sleep 1 </dev/null >/dev/null 2>&1) & i=$((i+1)); done; wait ) 2>/dev/null";
const probe = `grep :pids: /proc/self/cgroup; sh -c "grep :pids: /proc/self/cgroup"; ${storm}; echo done`;

function expectCappedInside(result: { code: number | null; out: string }, cgroupName: RegExp): void {
  expect(result.code).toBe(0);
  const [own, child, ...rest] = result.out.trim().split("\n");
  expect(own).toMatch(cgroupName);
  expect(child).toBe(own);
  const forked = rest.filter((line) => line === "x").length;
  expect(forked).toBeGreaterThan(2); // it forks
  expect(forked).toBeLessThan(8); // but the shells above count too, and the cap of 8 holds
  expect(rest).toContain("done"); // the shell survives its failed forks
}

describe("pids cgroup process cap", () => {
  it("starts the command inside a new cgroup capped at max, and the host stays where it was", async () => {
    needsCgroupParent();
    const before = ownPidsCgroup();
    const cgroup = createPidsCgroup(8)!;
    const child = cgroup.spawn("/bin/sh", ["-c", probe], { env: {}, stdio: ["ignore", "pipe", "pipe"] });
    expect(ownPidsCgroup()).toBe(before);
    const result = await outcome(child);
    cgroup.remove();
    expectCappedInside(result, new RegExp(`:pids:.*/agent-sandbox-${process.pid}-\\d+$`));
  });

  it("refuses to start the command when the cgroup cannot be entered", () => {
    const parent = needsCgroupParent();
    const before = new Set(readdirNames(parent));
    const cgroup = createPidsCgroup(8)!;
    const dir = readdirNames(parent).find((name) => !before.has(name))!;
    rmdirSync(join(parent, dir)); // gone before the host can enter it
    expect(() => cgroup.spawn("/bin/sh", ["-c", "echo the command ran"], { stdio: "pipe" })).toThrow(/E_SANDBOX_UNAVAILABLE|process cap cgroup/);
    expect(ownPidsCgroup()).toMatch(/:pids:/);
  });

  describe("entering through a shell (cgroup v2, whole processes only)", () => {
    it("joins the cgroup, then execs the command", async () => {
      const parent = needsCgroupParent();
      const before = new Set(readdirNames(parent));
      const cgroup = createPidsCgroup(8)!;
      const dir = join(parent, readdirNames(parent).find((name) => !before.has(name))!);
      const start = joinThenExec(join(dir, "cgroup.procs"), "/bin/sh", ["-c", probe]);
      const result = await outcome(spawn(start.command, start.args, { env: {}, stdio: ["ignore", "pipe", "pipe"] }));
      cgroup.remove();
      expectCappedInside(result, new RegExp(`:pids:.*/${dir.split("/").pop()}$`));
    });

    it("exits 125 without running the command when the cgroup cannot be entered", async () => {
      const start = joinThenExec("/sys/fs/cgroup/pids/agent-sandbox-gone/cgroup.procs", "/bin/sh", ["-c", "echo the command ran"]);
      const { code, out, err } = await outcome(spawn(start.command, start.args, { env: {}, stdio: ["ignore", "pipe", "pipe"] }));
      expect(code).toBe(125);
      expect(out).toBe("");
      expect(err).toContain("cannot enter the sandbox's process cap cgroup");
      expect(existsSync("/sys/fs/cgroup/pids/agent-sandbox-gone")).toBe(false);
    });
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).filter((name: string) => name.startsWith("agent-sandbox-"));
}
