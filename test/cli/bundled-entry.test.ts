import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parallelThreshold } from "../../registry/validate/check-listed-in-parallel.js";
import { builtCli } from "../support/run-agent.js";

/** The chunk pack's table of contents, read by the loader's own reader. */
async function loadPackIndex(): Promise<(dir: string) => { base: number; suffixes: string[]; chunks: Record<string, number[]> }> {
  const { chunkPackIndex } = (await import(join(dirname(builtCli), "load-bundle.cjs"))) as { chunkPackIndex: (dir: string) => { base: number; suffixes: string[]; chunks: Record<string, number[]> } | null };
  return (dir) => {
    const index = chunkPackIndex(dir);
    if (!index) throw new Error(`no chunk pack in ${dir}`);
    return index;
  };
}
const packIndex = await loadPackIndex();

/** A dist/ with the real bin and bundle loader, and two stand-in CLIs that say which one ran. */
function fakeDist(parts: { chunks?: number; tsbuildinfo?: number }): string {
  const root = mkdtempSync(join(tmpdir(), "agent-bundled-entry-"));
  const cli = join(root, "dist", "cli");
  mkdirSync(join(cli, "chunks"), { recursive: true });
  copyFileSync(builtCli, join(cli, "main.cjs"));
  copyFileSync(join(dirname(builtCli), "main.js"), join(cli, "main.js"));
  for (const file of ["load-bundle.cjs", "lazy-stdio.cjs"]) copyFileSync(join(dirname(builtCli), file), join(cli, file));
  const say = (what: string) => `async function runCli(argv) { process.stdout.write(${JSON.stringify(what)} + " " + argv.join(" ")); return 0; }`;
  writeFileSync(join(cli, "run-cli.js"), `export ${say("modules")}\n`);
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
  if (parts.chunks !== undefined) {
    // CommonJS, as scripts/bundle.mjs writes it
    writeFileSync(join(cli, "chunks", "run-cli.cjs"), `${say("bundle")}\nexports.runCli = runCli;\n`);
    at(join(cli, "chunks", "run-cli.cjs"), parts.chunks);
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

function run(parts: { chunks?: number; tsbuildinfo?: number }, entry = "main.cjs"): string {
  const root = fakeDist(parts);
  roots.push(root);
  const result = spawnSync(process.execPath, [join(root, "dist", "cli", entry), "plugin", "list"], { encoding: "utf8", timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe("the bin (dist/cli/main.cjs)", () => {
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

  it("is what `node dist/cli/main.js` runs too", () => {
    expect(run({ chunks: 2_000_000_000, tsbuildinfo: 1_900_000_000 }, "main.js")).toBe("bundle plugin list");
    expect(run({ tsbuildinfo: 2_000_000_000 }, "main.js")).toBe("modules plugin list");
  });
});

describe("the bundle's chunks (scripts/bundle.mjs)", () => {
  it("are ASCII only, so V8 holds their source at one byte per character", () => {
    const chunks = join(dirname(builtCli), "chunks");
    const files = readdirSync(chunks).filter((name) => name.endsWith(".cjs"));
    expect(files.length).toBeGreaterThan(10);
    const nonAscii = files.filter((name) => /[^\x00-\x7f]/.test(readFileSync(join(chunks, name), "latin1")));
    expect(nonAscii).toEqual([]);
  });
});

describe("the bundle's code cache (scripts/warm-code-cache.mjs)", () => {
  const chunks = join(dirname(builtCli), "chunks");
  /** Runs a command through loadBundledCli in a child with `flags` for node; its user cache directory is `cacheHome` (a fresh one by default). */
  const loadAndRun = (dir: string, argv: string[], { flags = [] as string[], cacheHome = fresh("agent-xdg-cache-") } = {}) =>
    spawnSync(
      process.execPath,
      [
        ...flags,
        "--input-type=module",
        "-e",
        `const { loadBundledCli, loadedChunks, tuningFor } = await import(${JSON.stringify(join(dirname(builtCli), "load-bundle.cjs"))});
         const runCli = loadBundledCli(${JSON.stringify(dir)}, { tuning: tuningFor(${JSON.stringify(argv)}) });
         const status = await runCli(${JSON.stringify(argv)}, { stdin: process.stdin, stdout: { write() { return true; } }, stderr: process.stderr, env: process.env, cwd: process.cwd() });
         console.log(JSON.stringify({ status, chunks: loadedChunks() }));`,
      ],
      { encoding: "utf8", timeout: 30_000, env: { ...process.env, NODE_OPTIONS: "", XDG_CACHE_HOME: cacheHome, AGENT_HOME: fresh("agent-code-cache-home-") } },
    );
  const fresh = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    roots.push(dir);
    return dir;
  };
  const reportOf = (r: ReturnType<typeof loadAndRun>) => {
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { status: number; chunks: { file: string; cache: string; origin: string }[] };
  };

  it("is written by the build and used by V8 for every chunk a command loads", () => {
    const cacheHome = fresh("agent-xdg-cache-");
    const report = reportOf(loadAndRun(chunks, ["plugin", "list", "--json"], { cacheHome }));
    expect(report.status).toBe(0);
    expect(report.chunks.length).toBeGreaterThan(1);
    expect(report.chunks.map((c) => c.file)).toContain(join(chunks, "run-cli.cjs"));
    expect(report.chunks.filter((c) => c.cache !== "used" || c.origin !== "build")).toEqual([]);
    expect(readdirSync(cacheHome)).toEqual([]); // nothing of the user's own is written while the build's fits
  });

  it("has a cache of its own for `plugin validate`, which runs under other V8 flags, its worker threads too", () => {
    const cacheHome = fresh("agent-xdg-cache-");
    const market = fresh("agent-many-plugins-");
    // enough plugins for the check to start worker threads
    const plugins = Array.from({ length: parallelThreshold * 2 }, (_, i) => ({ name: `p${i}`, source: `./plugins/p${i}` }));
    for (const { name } of plugins) {
      mkdirSync(join(market, "plugins", name, ".claude-plugin"), { recursive: true });
      writeFileSync(join(market, "plugins", name, ".claude-plugin", "plugin.json"), JSON.stringify({ name, version: "1.0.0" }));
    }
    mkdirSync(join(market, ".claude-plugin"));
    writeFileSync(join(market, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "many", owner: { name: "test" }, plugins }));
    const report = reportOf(loadAndRun(chunks, ["plugin", "validate", market, "--json"], { cacheHome }));
    expect(report.status).toBe(0);
    expect(report.chunks.map((c) => c.file)).toContain(join(chunks, "run-cli.cjs"));
    expect(report.chunks.filter((c) => c.cache !== "used" || c.origin !== "build")).toEqual([]);
    const batch = packIndex(chunks).suffixes.indexOf(".batch.v8-cache");
    expect(Object.values(packIndex(chunks).chunks).filter((entry) => entry[2 + batch]! > 0).length).toBeGreaterThan(5);
    // a thread whose cache V8 rejected would have written its own here as it exited
    expect(readdirSync(cacheHome)).toEqual([]);
  });

  it("installs a plugin and its dependencies without loading zod: the bundle checks their files with its baked parse graph", () => {
    const zodLoaded = (report: ReturnType<typeof reportOf>) => report.chunks.filter((c) => readFileSync(c.file, "latin1").includes('$constructor("$ZodType"')).map((c) => basename(c.file));
    const install = reportOf(loadAndRun(chunks, ["plugin", "install", "starter@agent-builtin", "--yes"]));
    expect(install.status).toBe(0);
    expect(install.chunks.length).toBeGreaterThan(5);
    expect(zodLoaded(install)).toEqual([]);
    // the schemas are still there: an invalid plugin.json is refused with zod's issues (test/installer)
    const validate = reportOf(loadAndRun(chunks, ["plugin", "validate", join(dirname(builtCli), "../../fixtures/marketplaces/agent-builtin")]));
    expect(zodLoaded(validate).length).toBeGreaterThan(0);
  });

  it("is kept per user when V8 rejects the build's (here: V8 flags), and used from the next run on", () => {
    const cacheHome = fresh("agent-xdg-cache-");
    const flagged = () => reportOf(loadAndRun(chunks, ["plugin", "list", "--json"], { flags: ["--max-old-space-size=3000"], cacheHome }));
    const outcomes = (report: ReturnType<typeof flagged>) => new Set(report.chunks.map((c) => `${c.origin} ${c.cache}`));
    const first = flagged();
    expect(first.chunks.length).toBeGreaterThan(1);
    expect(outcomes(first)).toEqual(new Set(["build rejected"]));
    const [key, ...others] = readdirSync(join(cacheHome, "agent", "code-cache"));
    expect(others).toEqual([]);
    const own = join(cacheHome, "agent", "code-cache", key!);
    expect(statSync(own).mode & 0o777).toBe(0o700);
    // each named by its chunk and the build (the pack) it is from
    const names = readdirSync(own).sort();
    const build = /^run-cli\.cjs\.([0-9a-f]{8})\.v8-cache$/.exec(names.find((name) => name.startsWith("run-cli.cjs."))!)![1];
    expect(names).toEqual(first.chunks.map((c) => `${basename(c.file)}.${build}.v8-cache`).sort());
    expect(outcomes(flagged())).toEqual(new Set(["user used"]));

    // a damaged cache of its own is written again; a cache of another build's chunk goes, and so does a
    // temp file a writer left long ago (a recent one may be another process's, writing now)
    const entryCache = `run-cli.cjs.${build}.v8-cache`;
    writeFileSync(join(own, entryCache), Buffer.alloc(4096, 7));
    writeFileSync(join(own, "gone-00000000.cjs.v8-cache"), "old");
    writeFileSync(join(own, "run-cli.cjs.00000000.v8-cache"), "old");
    writeFileSync(join(own, `${entryCache}.1-old.tmp`), "old");
    utimesSync(join(own, `${entryCache}.1-old.tmp`), 1_000_000_000, 1_000_000_000);
    writeFileSync(join(own, `${entryCache}.2-new.tmp`), "new");
    const third = flagged();
    expect(third.chunks.find((c) => c.file.endsWith("/run-cli.cjs"))).toMatchObject({ origin: "user", cache: "rejected" });
    expect(readdirSync(own).sort()).toEqual([...names, `${entryCache}.2-new.tmp`].sort());
    expect(outcomes(flagged())).toEqual(new Set(["user used"]));

    // V8 trusts a cache's contents: a directory others may write to is not read
    chmodSync(own, 0o777);
    expect(outcomes(flagged())).toEqual(new Set(["build rejected"]));
  });

  /** A copy of the chunks beside the real ones (the CLI finds its package root by walking up from them). */
  const copyOfChunks = () => {
    const root = mkdtempSync(join(dirname(builtCli), ".code-cache-test-"));
    roots.push(root);
    cpSync(chunks, join(root, "chunks"), { recursive: true });
    return join(root, "chunks");
  };

  it("comes with the chunks in one pack file, and the build leaves no cache files of its own beside them", () => {
    const index = packIndex(chunks);
    const files = readdirSync(chunks).filter((name) => name.endsWith(".cjs"));
    expect(Object.keys(index.chunks).sort()).toEqual(files.sort());
    expect(readdirSync(chunks).filter((name) => name.includes("v8-cache"))).toEqual([]);
    // each chunk's source in the pack is the file's, byte for byte
    const pack = readFileSync(join(chunks, "chunks.pack"));
    for (const name of files) {
      const [offset, length] = index.chunks[name]!;
      expect(pack.subarray(index.base + offset!, index.base + offset! + length!).equals(readFileSync(join(chunks, name))), name).toBe(true);
    }
  });

  it("never takes its own cache of an older build for a chunk of the same name and length (V8 checks the length alone)", async () => {
    const { writeChunkPack } = (await import(join(dirname(builtCli), "load-bundle.cjs"))) as { writeChunkPack: (dir: string) => unknown };
    const copy = copyOfChunks();
    const cacheHome = fresh("agent-xdg-cache-");
    const flagged = () => loadAndRun(copy, ["plugin", "list", "--json"], { flags: ["--max-old-space-size=3000"], cacheHome });
    expect(reportOf(flagged()).chunks.find((c) => c.file.endsWith("/run-cli.cjs"))?.cache).toBe("rejected"); // its own written at exit
    // the next build: the entry chunk re-exports a chunk whose name changed, and keeps its own name and length
    const entry = readFileSync(join(copy, "run-cli.cjs"), "latin1");
    const target = /require\("\.\/(run-cli-[^"]+\.cjs)"\)/.exec(entry)![1]!;
    const renamed = target.replace(/.\.cjs$/, (last) => `${last[0] === "x" ? "y" : "x"}.cjs`);
    renameSync(join(copy, target), join(copy, renamed));
    writeFileSync(join(copy, "run-cli.cjs"), entry.replace(target, renamed));
    writeChunkPack(copy);
    const next = reportOf(flagged());
    expect(next.status).toBe(0);
    expect(next.chunks.find((c) => c.file.endsWith("/run-cli.cjs"))?.origin).toBe("build");
  });

  it("a damaged cache in the pack is rejected by V8 and costs only the compile", () => {
    const copy = copyOfChunks();
    const index = packIndex(copy);
    const [offset, source, cache] = index.chunks["run-cli.cjs"]!;
    expect(cache).toBeGreaterThan(0);
    const pack = readFileSync(join(copy, "chunks.pack"));
    pack.fill(7, index.base + offset! + source!, index.base + offset! + source! + cache!);
    writeFileSync(join(copy, "chunks.pack"), pack);
    const report = reportOf(loadAndRun(copy, ["--version"]));
    expect(report.status).toBe(0);
    expect(report.chunks.find((c) => c.file.endsWith("/run-cli.cjs"))?.cache).toBe("rejected");
  });

  it("without a readable pack the chunks are read from their files and compiled", () => {
    const missing = copyOfChunks();
    rmSync(join(missing, "chunks.pack"));
    const damaged = copyOfChunks();
    writeFileSync(join(damaged, "chunks.pack"), Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    for (const dir of [missing, damaged]) {
      const report = reportOf(loadAndRun(dir, ["plugin", "list", "--json"]));
      expect(report.status).toBe(0);
      expect(new Set(report.chunks.map((c) => c.cache))).toEqual(new Set(["none"]));
    }
  });
});
