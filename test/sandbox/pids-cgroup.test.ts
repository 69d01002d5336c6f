import { spawn } from "node:child_process";
import { existsSync, rmdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPidsCgroup, pidsCgroupParent } from "../../host/sandbox/pids-cgroup.js";

/** The root process cap: a per-sandbox pids cgroup that the started command is in from its first fork. */
function needsCgroupParent(): string {
  const parent = pidsCgroupParent();
  if (!parent) throw new Error(`no writable pids cgroup (uid ${process.getuid?.()}): the root process cap needs one; run the tests as root`);
  return parent;
}

function start(command: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: {}, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("pids cgroup process cap", () => {
  it("runs the wrapped command and everything it forks inside the new cgroup, capped at max", async () => {
    needsCgroupParent();
    const cgroup = createPidsCgroup(8)!;
    // the command reports its own cgroup and a child's, then forks 40 sleepers: no more than 8 may exist
    const storm = "( i=0; while [ $i -lt 40 ]; do (echo x; exec sleep 1 </dev/null >/dev/null 2>&1) & i=$((i+1)); done; wait ) 2>/dev/null";
    const wrapped = cgroup.wrap("/bin/sh", ["-c", `grep pids /proc/self/cgroup; sh -c "grep pids /proc/self/cgroup"; ${storm}; echo done`]);
    const { code, out } = await start(wrapped.command, wrapped.args);
    cgroup.remove();
    expect(code).toBe(0);
    const [own, child, ...rest] = out.trim().split("\n");
    expect(own).toMatch(new RegExp(`:pids:.*/agent-sandbox-${process.pid}-\\d+$`));
    expect(child).toBe(own);
    const forked = rest.filter((line) => line === "x").length;
    expect(forked).toBeGreaterThan(2); // it forks
    expect(forked).toBeLessThan(8); // but the shells above count too, and the cap holds
    expect(rest.at(-1)).toBe("done");
  });

  it("refuses to run the command when the cgroup cannot be entered", async () => {
    needsCgroupParent();
    const cgroup = createPidsCgroup(6)!;
    const wrapped = cgroup.wrap("/bin/sh", ["-c", "echo the command ran"]);
    const dir = wrapped.args[3]!.replace(/\/(tasks|cgroup\.procs)$/, "");
    rmdirSync(dir); // gone before the shell can join it
    const { code, out, err } = await start(wrapped.command, wrapped.args);
    cgroup.remove();
    expect(code).toBe(125);
    expect(out).toBe("");
    expect(err).toContain("cannot enter the sandbox's process cap cgroup");
    expect(existsSync(dir)).toBe(false);
  });
});
