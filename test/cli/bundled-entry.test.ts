import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { builtCli } from "../support/run-agent.js";

/** A dist/ with the real bin and two stand-in CLIs that say which one ran. */
function fakeDist(parts: { chunks?: number; tsbuildinfo?: number }): string {
  const root = mkdtempSync(join(tmpdir(), "agent-bundled-entry-"));
  const cli = join(root, "dist", "cli");
  mkdirSync(join(cli, "chunks"), { recursive: true });
  copyFileSync(builtCli, join(cli, "main.js"));
  const standIn = (what: string) => `export async function runCli(argv) { process.stdout.write(${JSON.stringify(what)} + " " + argv.join(" ")); return 0; }\n`;
  writeFileSync(join(cli, "run-cli.js"), standIn("modules"));
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
  if (parts.chunks !== undefined) {
    writeFileSync(join(cli, "chunks", "run-cli.js"), standIn("bundle"));
    at(join(cli, "chunks", "run-cli.js"), parts.chunks);
  }
  if (parts.tsbuildinfo !== undefined) {
    writeFileSync(join(root, "dist", ".tsbuildinfo"), "{}");
    at(join(root, "dist", ".tsbuildinfo"), parts.tsbuildinfo);
  }
  return root;
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function run(parts: { chunks?: number; tsbuildinfo?: number }): string {
  const root = fakeDist(parts);
  roots.push(root);
  const result = spawnSync(process.execPath, [join(root, "dist", "cli", "main.js"), "plugin", "list"], { encoding: "utf8", timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe("the bin (dist/cli/main.js)", () => {
  it("runs the bundle when it is newer than the last tsc build", () => {
    expect(run({ chunks: 2_000_000_000, tsbuildinfo: 1_900_000_000 })).toBe("bundle plugin list");
  });

  it("runs the modules tsc wrote when tsc built after the bundle", () => {
    expect(run({ chunks: 1_900_000_000, tsbuildinfo: 2_000_000_000 })).toBe("modules plugin list");
  });

  it("runs the modules tsc wrote when there is no bundle", () => {
    expect(run({ tsbuildinfo: 2_000_000_000 })).toBe("modules plugin list");
  });

  it("runs the bundle of a packed package (all files share one mtime, or no build info)", () => {
    expect(run({ chunks: 499_162_500, tsbuildinfo: 499_162_500 })).toBe("bundle plugin list");
    expect(run({ chunks: 499_162_500 })).toBe("bundle plugin list");
  });
});
