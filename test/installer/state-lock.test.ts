import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withStateLock } from "../../installer/state/state-lock.js";
import { tempHome } from "./support/make-marketplace.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the state lock's owner checks", () => {
  it("records the owner's pid and boot id while held, and removes the file after", async () => {
    const lockFile = join(tempHome(), "agent.lock");
    const seen = await withStateLock(lockFile, async () => JSON.parse(readFileSync(lockFile, "utf8")));
    expect(seen.pid).toBe(process.pid);
    expect(seen.boot).toBe(readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim());
    expect(existsSync(lockFile)).toBe(false);
  });

  it("takes over a lock from another boot even when its pid runs now", async () => {
    const lockFile = join(tempHome(), "agent.lock");
    // pid 1 always runs; the boot id is not this boot's
    writeFileSync(lockFile, JSON.stringify({ pid: 1, at: "2026-01-01T00:00:00.000Z", boot: "00000000-0000-0000-0000-000000000000" }));
    expect(await withStateLock(lockFile, async () => "ran", { timeoutMs: 2_000 })).toBe("ran");
  });

  it("waits on a lock of this boot whose pid runs, and says who holds it", async () => {
    const lockFile = join(tempHome(), "agent.lock");
    writeFileSync(lockFile, JSON.stringify({ pid: 1, at: "2026-01-01T00:00:00.000Z", boot: readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() }));
    await expect(withStateLock(lockFile, async () => "ran", { timeoutMs: 300 })).rejects.toMatchObject({ code: "E_LOCKED", message: expect.stringContaining("pid 1") });
    expect(existsSync(lockFile)).toBe(true);
  });

  it("takes over a lock naming this process's pid that this process does not hold (a killed earlier run with the same pid)", async () => {
    const lockFile = join(tempHome(), "agent.lock");
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, at: "2026-01-01T00:00:00.000Z" }));
    expect(await withStateLock(lockFile, async () => "ran", { timeoutMs: 2_000 })).toBe("ran");
  });

  it("two waiters in one process take the lock in turn once its owner dies, never at once", async () => {
    const lockFile = join(tempHome(), "agent.lock");
    const owner = spawn("sleep", ["30"]);
    writeFileSync(lockFile, JSON.stringify({ pid: owner.pid, at: new Date().toISOString() }));
    const spans: Array<[number, number]> = [];
    const critical = async () => {
      const start = Date.now();
      await sleep(150);
      spans.push([start, Date.now()]);
    };
    const waiters = [withStateLock(lockFile, critical), withStateLock(lockFile, critical)];
    await sleep(100);
    expect(spans).toEqual([]);
    owner.kill("SIGKILL");
    await Promise.all(waiters);
    spans.sort((a, b) => a[0] - b[0]);
    expect(spans).toHaveLength(2);
    expect(spans[1]![0]).toBeGreaterThanOrEqual(spans[0]![1]);
    expect(existsSync(lockFile)).toBe(false);
  });
});
