import { readFileSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { Script, constants } from "node:vm";

type RunCli = typeof import("./run-cli.js").runCli;

interface Compiled {
  script: Script;
  cacheFile: string;
  /** what V8 did with the chunk's code cache */
  cache: "used" | "rejected" | "none";
}

/** Node's CommonJS loader, as far as this file uses it (not in @types/node's public typing). */
const loader = Module as unknown as {
  _extensions: Record<string, (module: NodeJS.Module, filename: string) => void>;
  wrap(source: string): string;
};

const compiled: Compiled[] = [];

/**
 * True while the bundled CLI (scripts/bundle.mjs, run by `npm run build`) is at least as new as the last
 * tsc build: it is then used, as it starts several times faster than the hundreds of modules tsc writes,
 * and a `tsc` run without a fresh bundle never runs stale code.
 */
export function bundleIsCurrent(): boolean {
  const mtime = (path: string) => statSync(join(__dirname, path), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime("chunks/run-cli.cjs");
  return bundled !== undefined && bundled >= (mtime("../.tsbuildinfo") ?? 0);
}

/**
 * Loads the bundled CLI (scripts/bundle.mjs writes it as CommonJS chunks under dist/cli/chunks/) with
 * V8's code cache: each chunk is compiled from the `<chunk>.v8-cache` file the build wrote beside it
 * (scripts/warm-code-cache.mjs), so a command does not parse and compile the code it runs again. A
 * cache V8 rejects (another Node version) only costs the compile. Only files in `dir` are loaded this
 * way; `plain` loads them with Node's own loader (--debug: its source maps name dist/ modules).
 */
export function loadBundledCli(dir: string, options: { plain?: boolean } = {}): RunCli {
  return (loadBundledChunk(dir, "run-cli.cjs", options) as { runCli: RunCli }).runCli;
}

/** Runs one entry chunk of the bundle (the CLI, or a worker thread's entry) the way loadBundledCli does. */
export function loadBundledChunk(dir: string, entry: string, options: { plain?: boolean } = {}): unknown {
  const require = createRequire(join(dir, entry));
  if (!options.plain) {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const fallback = loader._extensions[".cjs"] ?? loader._extensions[".js"]!;
    loader._extensions[".cjs"] = (module, filename) => (filename.startsWith(prefix) ? compileChunk(module, filename) : fallback(module, filename));
  }
  return require(`./${entry}`);
}

function compileChunk(module: NodeJS.Module, filename: string): void {
  const cacheFile = `${filename}.v8-cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache for this chunk: compile it
  }
  const script = new Script(loader.wrap(readFileSync(filename, "utf8")), {
    filename,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  compiled.push({ script, cacheFile, cache: !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used" });
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
}

/** Each chunk loaded so far and whether V8 used its code cache. */
export function loadedChunks(): { file: string; cache: Compiled["cache"] }[] {
  return compiled.map(({ cacheFile, cache }) => ({ file: cacheFile.slice(0, -".v8-cache".length), cache }));
}

/**
 * Writes the code cache of every chunk loaded so far, with the functions this process ran compiled in.
 * The build calls it after running representative commands; the CLI itself never writes to dist/.
 */
export function writeCodeCache(): string[] {
  return compiled.map(({ script, cacheFile }) => {
    writeFileSync(cacheFile, script.createCachedData());
    return cacheFile;
  });
}
