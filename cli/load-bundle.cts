import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join, sep } from "node:path";
import { Script, constants } from "node:vm";

type RunCli = typeof import("./run-cli.js").runCli;

interface Compiled {
  script: Script;
  /** the build's cache file, beside the chunk */
  cacheFile: string;
  /** what V8 did with the code cache it was given */
  cache: "used" | "rejected" | "none";
  /** where that cache came from: the build's, or this user's own (see userCache) */
  origin: "build" | "user";
}

/** Node's CommonJS loader, as far as this file uses it (not in @types/node's public typing). */
const loader = Module as unknown as {
  _extensions: Record<string, (module: NodeJS.Module, filename: string) => void>;
  wrap(source: string): string;
};

const compiled: Compiled[] = [];

/** A chunk's code cache is the chunk's file name with this after it, beside it (build) or in the user's cache. */
const cacheSuffix = ".v8-cache";

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
  tierUpLater();
  return (loadBundledChunk(dir, "run-cli.cjs", options) as { runCli: RunCli }).runCli;
}

/**
 * V8 compiles a function with its optimizing compiler (TurboFan) once the function has run for a while
 * (its "interrupt budget" of bytecode executed). agent's commands mostly run for well under a second, and
 * in such a run most of those compiles finish too late to pay for themselves while they take CPU from the
 * work, all of it on a machine with two cores: `plugin validate` of 1,000 plugins took ~17% less time and
 * ~20% less CPU with optimization off, and about as much with this 4× budget, which still optimizes
 * what runs for long (`registry serve`, `run`). Install, list and resolve times do not change.
 *
 * Set before the first chunk is compiled: V8 takes a code cache only from a process with the same flags,
 * and the build's cache (scripts/warm-code-cache.mjs) is written by a process that loaded the CLI through
 * here too. A worker thread shares its process's flags. A user's own --interrupt-budget is kept.
 */
function tierUpLater(): void {
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((option) => option.includes("--interrupt-budget"))) return;
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString(`--interrupt-budget=${4 * defaultInterruptBudget}`);
}
/** V8's default in Node 20 (`node --v8-options`) */
const defaultInterruptBudget = 67_584;

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
  const cacheFile = filename + cacheSuffix;
  const own = userCache(dirname(filename));
  const ownFile = join(own.dir, basename(cacheFile));
  let origin: Compiled["origin"] = "user";
  let cachedData = own.trusted ? readCache(ownFile) : undefined;
  if (!cachedData) [origin, cachedData] = ["build", readCache(cacheFile)];
  const script = new Script(loader.wrap(readFileSync(filename, "utf8")), {
    filename,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const chunk: Compiled = { script, cacheFile, cache: !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used", origin };
  compiled.push(chunk);
  if (chunk.cache === "rejected") {
    if (own.pending.length === 0) process.once("exit", () => writeUserCache(own));
    own.pending.push({ script, file: ownFile });
  }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // no cache: the chunk is compiled
  }
}

/**
 * V8 accepts a code cache only from the same V8 version with the same V8 flags as the process that wrote
 * it. So under another Node than the one agent was built with (after an upgrade, or switching versions
 * with nvm), or with V8 flags in NODE_OPTIONS (e.g. the common --max-old-space-size) or on node's command
 * line, it rejects every cache the build wrote, and each command compiled all it ran again (~20% of an
 * install). Such a process keeps its own cache instead, per Node version, flags and agent install, in the
 * user's cache directory ($XDG_CACHE_HOME or ~/.cache, then agent/code-cache/): written when it exits for
 * the chunks whose cache V8 rejected, used from the next run on. (A chunk the build left without a cache
 * is compiled by every process alike.) Only a directory of this user's that no one else can write is read
 * from: V8 trusts a cache's contents.
 */
function userCache(chunkDir: string): UserCache {
  if (!ownCache) {
    const options = [...process.execArgv, process.env.NODE_OPTIONS].filter(Boolean).join(" ");
    const key = `${process.version}-${process.arch}-${fnv1a(`${options}\0${chunkDir}`)}`;
    const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "agent", "code-cache", key);
    ownCache = { dir, chunkDir, pending: [], trusted: trustedDir(dir) };
  }
  return ownCache;
}

interface UserCache {
  dir: string;
  /** the bundle's chunks this cache is for */
  chunkDir: string;
  /** chunks whose cache V8 rejected, their own written to `dir` at exit */
  pending: { script: Script; file: string }[];
  /** the directory exists, is this user's, and only this user can write to it */
  trusted: boolean;
}
let ownCache: UserCache | undefined;

/** (Never on Windows, where there is no uid to compare: such a process compiles as before.) */
function trustedDir(dir: string): boolean {
  try {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    return st !== undefined && st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false; // e.g. a parent this user cannot search
  }
}

/**
 * Writes the pending caches (each to a temp file, then renamed over, so a reader never sees half), and
 * removes stale files: caches of chunks the bundle no longer has (an upgrade of agent renames its
 * chunks) and temp files of writers that died. Never throws.
 */
function writeUserCache(own: UserCache): void {
  try {
    mkdirSync(own.dir, { recursive: true, mode: 0o700 });
    if (!trustedDir(own.dir)) return;
    const current = new Set(readdirSync(own.chunkDir).map((chunk) => chunk + cacheSuffix));
    for (const name of readdirSync(own.dir)) if (stale(join(own.dir, name), current)) rmSync(join(own.dir, name), { force: true });
    for (const { script, file } of own.pending) {
      // a validate worker thread shares the pid and may write the same chunk's cache
      const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, file);
    }
  } catch {
    // a cache is an optimization: the next run compiles again
  }
}

/** A cache of a chunk the bundle no longer has (not among `current`), or a temp file a writer left over an hour ago (it died before its rename). */
function stale(file: string, current: Set<string>): boolean {
  if (file.endsWith(".tmp")) return Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000;
  return !current.has(basename(file));
}

/** FNV-1a, 32 bits, as hex: names a user cache without loading node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Each chunk loaded so far, whether V8 used the code cache it was given, and whose cache that was. */
export function loadedChunks(): { file: string; cache: Compiled["cache"]; origin: Compiled["origin"] }[] {
  return compiled.map(({ cacheFile, cache, origin }) => ({ file: cacheFile.slice(0, -cacheSuffix.length), cache, origin }));
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
