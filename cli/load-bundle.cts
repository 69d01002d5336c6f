import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Script, constants } from "node:vm";

type RunCli = typeof import("./run-cli.js").runCli;

interface Compiled {
  script: Script;
  /** the chunk */
  file: string;
  /** where the build's warm-up writes this chunk's cache (writeCodeCache), before writeChunkPack packs it */
  cacheFile: string;
  /** what V8 did with the code cache it was given */
  cache: "used" | "rejected" | "none";
  /** where that cache came from: the build's, or this user's own (see userCache) */
  origin: "build" | "user";
}

/**
 * Node's CommonJS loader, as far as this file uses it (not in @types/node's public typing): the class of
 * this very module. (Requiring node:module for it would load Node's ES module loader too, ~3 ms.)
 */
const loader = module.constructor as unknown as {
  new (id: string, parent: NodeJS.Module): NodeJS.Module;
  wrap(source: string): string;
  createRequire(filename: string): NodeJS.Require;
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
 * V8's code cache: each chunk is compiled from the cache the build wrote for it (scripts/warm-code-cache.mjs,
 * kept in the chunk pack beside the chunks: see readPacked), so a command does not parse and compile the
 * code it runs again. A cache V8 rejects (another Node version) only costs the compile. Only files in
 * `dir` are loaded this way; `plain` loads them with Node's own loader (--debug: its source maps name
 * dist/ modules).
 */
export function loadBundledCli(dir: string, options: { plain?: boolean; tuning?: TuningName } = {}): RunCli {
  useTuning(options.tuning ?? "default");
  return (loadBundledChunk(dir, "run-cli.cjs", options) as { runCli: RunCli }).runCli;
}

/**
 * How V8 is tuned for a command: its flags, and the suffix of the code caches written under them
 * (V8 takes a code cache only from a process with the same flags, so each tuning has its own).
 *
 * - default: V8's own settings.
 * - batch (`plugin validate`): V8 compiles a function with its optimizing compiler (TurboFan) once it has
 *   run for a while (its "interrupt budget" of bytecode executed). A validation runs the same few checks
 *   for every plugin of a marketplace in well under a second, and most of those compiles finish too late
 *   to pay for themselves while they take CPU from the work, all of it on a machine with two cores: with a
 *   4× budget, validating 1,000 plugins takes ~15% less time and CPU. Not the default: it made
 *   `plugin install` ~5% slower, whose hot code (zod building its schemas) gains from being optimized early.
 */
const tunings = {
  default: { flags: undefined, suffix: ".v8-cache" },
  batch: { flags: `--interrupt-budget=${4 * 67_584}`, suffix: ".batch.v8-cache" }, // 67,584: V8's default in Node 20
} as const;
export type TuningName = keyof typeof tunings;
let tuning: (typeof tunings)[TuningName] = tunings.default;

/** The tuning a command line runs under: batch for `plugin validate`, else the default. */
export function tuningFor(argv: readonly string[]): TuningName {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  const plugin = words.indexOf("plugin");
  return plugin >= 0 && words[plugin + 1] === "validate" ? "batch" : "default";
}

/** Where a worker thread finds the tuning of the thread that started it (worker_threads environment data). */
const tuningKey = "agent:v8-tuning";

/**
 * Tunes V8 (before the first chunk is compiled) and picks the code caches that go with it. A user's
 * own V8 flags are kept: with an --interrupt-budget of theirs, nothing is set and the default cache is
 * read (V8 rejects it when their flags differ, and the user cache below takes over).
 */
function useTuning(name: TuningName): void {
  const chosen = tunings[name];
  if (chosen.flags === undefined || usersNodeOptions().includes("--interrupt-budget")) return;
  tuning = chosen;
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString(chosen.flags);
  (require("node:worker_threads") as typeof import("node:worker_threads")).setEnvironmentData(tuningKey, name);
}

/** The options node was started with, on its command line and in NODE_OPTIONS, as one string. */
function usersNodeOptions(): string {
  return [...process.execArgv, process.env.NODE_OPTIONS].filter(Boolean).join(" ");
}

/** In a worker thread: the code caches of the tuning its process runs under (its flags are the process's). */
export function inheritTuning(): void {
  keepPacksOpen = false;
  const name = (require("node:worker_threads") as typeof import("node:worker_threads")).getEnvironmentData(tuningKey);
  if (typeof name === "string" && Object.hasOwn(tunings, name)) tuning = tunings[name as TuningName];
}

/**
 * Runs one entry chunk of the bundle (the CLI, or a worker thread's entry) the way loadBundledCli does.
 * A chunk's `require("./<chunk>.cjs")` of another chunk is answered here, from the file beside it: a
 * chunk name needs none of Node's resolution (its stat calls, realpath and path joins, ~0.3 ms a chunk);
 * anything else a chunk requires goes to Node's require.
 */
export function loadBundledChunk(dir: string, entry: string, options: { plain?: boolean } = {}): unknown {
  if (options.plain) return loader.createRequire(join(dir, entry))(`./${entry}`);
  return loadChunk(join(dir, entry), module).exports;
}

/** The chunks loaded so far, by file: each runs once, and chunks that require each other share it. */
const chunks = new Map<string, NodeJS.Module>();

function loadChunk(filename: string, parent: NodeJS.Module): NodeJS.Module {
  let chunk = chunks.get(filename);
  if (!chunk) {
    chunk = new loader(filename, parent);
    chunk.filename = filename;
    chunks.set(filename, chunk); // before it runs: a chunk that requires it back gets its exports so far, as Node's loader gives
    compileChunk(chunk, filename);
    chunk.loaded = true;
  }
  return chunk;
}

/** The require a chunk runs with: sibling chunks from loadChunk, everything else from Node. */
function chunkRequire(dir: string, chunk: NodeJS.Module): NodeJS.Require {
  const node = requireIn(dir);
  const require = (id: string) => (id.startsWith("./") && id.endsWith(".cjs") && !id.includes("/", 2) ? loadChunk(dir + id.slice(1), chunk).exports : node(id));
  return Object.assign(require, { resolve: node.resolve, cache: node.cache, main: node.main, extensions: node.extensions }) as NodeJS.Require;
}

function compileChunk(module: NodeJS.Module, filename: string): void {
  const dir = dirname(filename);
  const name = filename.slice(dir.length + 1);
  const own = userCache(dir);
  const packed = readPacked(dir, name);
  // this user's own cache of the chunk, for the build the pack holds (see userCache)
  const ownFile = () => packed && `${own.dir}/${name}.${(own.build ??= buildId(packed.pack))}${tuning.suffix}`;
  let origin: Compiled["origin"] = "user";
  let cachedData = own.trusted ? readCache(ownFile()) : undefined;
  if (!cachedData) [origin, cachedData] = ["build", packed?.cache];
  const script = new Script(loader.wrap(packed?.source ?? readFileSync(filename, "utf8")), {
    filename,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const chunk: Compiled = { script, file: filename, cacheFile: filename + tuning.suffix, cache: !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used", origin };
  compiled.push(chunk);
  const file = chunk.cache === "rejected" ? ownFile() : undefined;
  if (file) {
    if (own.pending.length === 0) process.once("exit", () => writeUserCache(own));
    own.pending.push({ script, file });
  }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, chunkRequire(dir, module), module, filename, dir);
}

/**
 * The chunk pack, `chunks.pack` beside the chunks (writeChunkPack, run by the build once the code caches
 * are written): every chunk's source and its code cache for each tuning, in one file. A chunk is then
 * read with one read at a known offset, not by opening its source and its cache file (~2 ms of the ~35
 * chunks of an install). Layout: a uint32 (little-endian) length, that much ASCII text, then the bytes,
 * each chunk's source followed by its caches. The text is lines: the cache suffixes in their order in
 * the bytes; the size of the largest chunk with its caches; then for each chunk `<name> <offset>
 * <source length> <cache length>…` (the line of a chunk is found by its name, without parsing the
 * others). Sources are ASCII (the bundle is written so).
 */
const packName = "chunks.pack";

interface ChunkPack {
  file: string;
  /** kept open for the process's life on its main thread (a worker thread, which ends before it, opens the pack for each read) */
  fd: number | undefined;
  /** where the bytes start */
  base: number;
  suffixes: string[];
  /** the text after the first two lines, starting with "\n" */
  lines: string;
  /** one buffer for every read: a chunk's cache is done with once V8 has compiled from it */
  buffer: Buffer;
}

/** The packs read so far, by chunk dir (null: that dir has none, e.g. a bundle built without caches). */
const packs = new Map<string, ChunkPack | null>();
let keepPacksOpen = true;

/** A chunk's source and, when the pack has one for the current tuning, its code cache. */
function readPacked(dir: string, name: string): { source: string; cache: Buffer | undefined; pack: ChunkPack } | undefined {
  let pack = packs.get(dir);
  if (pack === undefined) packs.set(dir, (pack = openPack(`${dir}/${packName}`)));
  const entry = pack && entryOf(pack, name);
  if (!pack || !entry) return undefined;
  const [offset, sourceLength, ...cacheLengths] = entry;
  const wanted = pack.suffixes.indexOf(tuning.suffix);
  let cacheStart = sourceLength;
  for (let i = 0; i < wanted; i++) cacheStart += cacheLengths[i]!;
  const cacheLength = wanted < 0 ? 0 : cacheLengths[wanted]!;
  const length = cacheStart + cacheLength;
  if (pack.buffer.length < length) return undefined;
  const fd = pack.fd ?? openSync(pack.file, "r");
  try {
    if (readSync(fd, pack.buffer, 0, length, pack.base + offset) !== length) return undefined;
  } finally {
    if (pack.fd === undefined) closeSync(fd);
  }
  return { source: pack.buffer.toString("latin1", 0, sourceLength), cache: cacheLength ? pack.buffer.subarray(cacheStart, length) : undefined, pack };
}

/** Names the build a pack holds: its table of contents, whose chunk names carry their content hashes, and every size. */
function buildId(pack: ChunkPack): string {
  return fnv1a(pack.lines);
}

/** The numbers of a chunk's line: offset, source length, then its cache lengths. */
function entryOf(pack: ChunkPack, name: string): [number, number, ...number[]] | undefined {
  const at = pack.lines.indexOf(`\n${name} `);
  if (at < 0) return undefined;
  const end = pack.lines.indexOf("\n", at + 1);
  const numbers = pack.lines.slice(at + name.length + 2, end < 0 ? undefined : end).split(" ").map(Number);
  return numbers.length === 2 + pack.suffixes.length && numbers.every((n) => Number.isSafeInteger(n) && n >= 0) ? (numbers as [number, number, ...number[]]) : undefined;
}

/** The table of contents of the chunk pack in `dir` (null without a readable one): where each chunk's bytes are. */
export function chunkPackIndex(dir: string): { base: number; suffixes: string[]; chunks: Record<string, number[]> } | null {
  const pack = openPack(join(dir, packName));
  if (!pack) return null;
  if (pack.fd !== undefined) closeSync(pack.fd);
  const names = pack.lines.split("\n").slice(1).map((line) => line.split(" ")[0]!);
  return { base: pack.base, suffixes: pack.suffixes, chunks: Object.fromEntries(names.map((name) => [name, entryOf(pack, name)!])) };
}

function openPack(file: string): ChunkPack | null {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return null;
  }
  try {
    let head = Buffer.allocUnsafe(16 * 1024);
    const read = readSync(fd, head, 0, head.length, 0);
    const length = read >= 4 ? head.readUInt32LE(0) : -1;
    if (length < 0) return null;
    if (4 + length > read) {
      if (read < head.length || 4 + length > fstatSync(fd).size) return null; // the file ends before its table of contents
      head = Buffer.allocUnsafe(4 + length);
      if (readSync(fd, head, 0, head.length, 0) !== head.length) return null;
    }
    const text = head.toString("latin1", 4, 4 + length);
    const first = text.indexOf("\n");
    const second = text.indexOf("\n", first + 1);
    const largest = Number(text.slice(first + 1, second < 0 ? undefined : second));
    if (first < 0 || second < 0 || !Number.isSafeInteger(largest) || largest < 0 || largest > 1 << 30) return null;
    const pack = { file, fd: keepPacksOpen ? fd : undefined, base: 4 + length, suffixes: text.slice(0, first).split(" "), lines: text.slice(second), buffer: Buffer.allocUnsafeSlow(largest) };
    if (keepPacksOpen) fd = -1; // the pack's now
    return pack;
  } catch {
    return null; // a damaged pack: the chunks are read from their files, and compiled
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Packs the chunks of `dir` and the code caches writeCodeCache wrote beside them (for every tuning) into
 * `chunks.pack`, then removes those cache files: the pack is what the CLI reads. Run by the build.
 */
export function writeChunkPack(dir: string): { chunks: number; bytes: number } {
  const suffixes = Object.values(tunings).map((t) => t.suffix);
  const lines: string[] = [];
  const parts: Buffer[] = [];
  let offset = 0;
  let largest = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".cjs")).sort()) {
    const source = readFileSync(join(dir, name));
    if (source.some((byte) => byte > 0x7f)) throw new Error(`${name} is not ASCII: the chunk pack reads sources as one byte a character`);
    const caches = suffixes.map((suffix) => readCache(join(dir, name + suffix)) ?? Buffer.alloc(0));
    const size = source.length + caches.reduce((a, c) => a + c.length, 0);
    lines.push([name, offset, source.length, ...caches.map((c) => c.length)].join(" "));
    parts.push(source, ...caches);
    offset += size;
    largest = Math.max(largest, size);
  }
  const header = Buffer.from([suffixes.join(" "), largest, ...lines].join("\n"), "latin1");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const pack = Buffer.concat([length, header, ...parts]);
  writeFileSync(join(dir, `${packName}.tmp`), pack);
  renameSync(join(dir, `${packName}.tmp`), join(dir, packName));
  for (const name of readdirSync(dir)) if (suffixes.some((suffix) => name.endsWith(suffix))) rmSync(join(dir, name));
  return { chunks: lines.length, bytes: pack.length };
}

/** One require function for every chunk of a directory: they resolve what they require alike. */
const requires = new Map<string, NodeJS.Require>();
function requireIn(dir: string): NodeJS.Require {
  let require = requires.get(dir);
  if (!require) requires.set(dir, (require = loader.createRequire(join(dir, "chunk.cjs"))));
  return require;
}

function readCache(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
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
 * is compiled by every process alike, and so is every chunk when the pack is missing.) Only a directory
 * of this user's that no one else can write is read from: V8 trusts a cache's contents. A cache file is
 * named by its chunk and by the build that chunk is from (buildId): V8 checks a cache against the length
 * of its source alone, and an entry chunk keeps its name and length from one build to the next while the
 * name of the chunk it re-exports changes (a cache of the old one ran the old code, which required a
 * chunk that was gone).
 */
function userCache(chunkDir: string): UserCache {
  if (!ownCache) {
    const options = [usersNodeOptions(), tuning.flags].filter(Boolean).join(" ");
    const key = `${process.version}-${process.arch}-${fnv1a(`${options}\0${chunkDir}`)}`;
    const dir = join(process.env.XDG_CACHE_HOME || join(homeDir(), ".cache"), "agent", "code-cache", key);
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
  /** the build of the chunks (buildId), once a chunk of the pack needed this cache */
  build?: string;
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
 * removes stale files: caches of another build's chunks (an upgrade of agent, or a rebuild) and temp
 * files of writers that died. Never throws.
 */
function writeUserCache(own: UserCache): void {
  try {
    mkdirSync(own.dir, { recursive: true, mode: 0o700 });
    if (!trustedDir(own.dir)) return;
    const current = new Set(readdirSync(own.chunkDir).map((chunk) => `${chunk}.${own.build}${tuning.suffix}`));
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

/** A cache of another build's chunk (not among `current`), or a temp file a writer left over an hour ago (it died before its rename). */
function stale(file: string, current: Set<string>): boolean {
  if (file.endsWith(".tmp")) return Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000;
  return !current.has(basename(file));
}

/** os.homedir(): $HOME, else the user's entry in the password database (node:os loaded only then, ~0.3 ms). */
function homeDir(): string {
  return process.env.HOME || (require("node:os") as typeof import("node:os")).homedir();
}

/** FNV-1a, 32 bits, as hex: names a user cache without loading node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Each chunk loaded so far, whether V8 used the code cache it was given, and whose cache that was. */
export function loadedChunks(): { file: string; cache: Compiled["cache"]; origin: Compiled["origin"] }[] {
  return compiled.map(({ file, cache, origin }) => ({ file, cache, origin }));
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
