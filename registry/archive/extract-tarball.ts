import { mkdirSync, realpathSync, rmSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { createGunzip, gunzipSync } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { AgentError } from "../../schemas/errors.js";
import { archiveLimits, type ArchiveLimits } from "./archive-limits.js";
import { entryProblem, linkTargetProblem, type UnsafeReason } from "./check-entry.js";
import { FsTreeOps, noTreeOps, RecordedTreeOps, type TreeOps } from "./tree-ops.js";

export interface ExtractOptions {
  /** what the archive is, for messages ("npm package p@1.0.0", "archive https://…") */
  what: string;
  /** leading path components to drop (npm tarballs: 1 for "package/") */
  strip?: number;
  limits?: Partial<ArchiveLimits>;
  env?: NodeJS.ProcessEnv;
}

export interface ExtractedTree {
  files: number;
  bytes: number;
}

/**
 * Unpacks a gzip tarball into `dest` (a path that does not exist yet), refusing before any write the
 * entries that could reach outside it: absolute paths, "..", links whose target leaves the tree,
 * device and fifo entries, and writes through a link the archive itself made. Size and entry count
 * are checked from the headers, so a bomb is refused before its bytes are inflated. Files get mode
 * 0644 or 0755; owners and times are not restored. Every header is checked in a first pass that
 * writes nothing; on a failure in the second pass `dest` is removed.
 */
export async function extractTarball(archive: Buffer, dest: string, options: ExtractOptions): Promise<ExtractedTree> {
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) {
    throw unsafe(options.what, "not-gzip", "is not a gzip tarball (.tgz)", "Pack the plugin with `agent plugin pack` or `npm pack`.");
  }
  const limits = archiveLimits(options.env ?? process.env, options.limits);
  const inflated = inflateSmall(archive, options.what);
  const recorded = inflated ? new RecordedTreeOps() : undefined;
  const check = new TreeWriter(options, limits, recorded ?? noTreeOps);
  if (inflated) check.runInflated(inflated);
  else await check.run(archive);
  mkdirSync(dirname(dest), { recursive: true });
  mkdirSync(dest);
  const fs = new FsTreeOps(dest);
  try {
    if (recorded) recorded.replay(fs);
    else await new TreeWriter(options, limits, fs).run(archive);
    verifyLinks(dest, check.symlinks, options.what);
    return { files: check.files, bytes: check.bytes };
  } catch (error) {
    fs.closeAll();
    rmSync(dest, { recursive: true, force: true });
    if (error instanceof AgentError) throw error;
    throw unsafe(options.what, "corrupt", `could not be unpacked: ${(error as Error).message}`, undefined, { cause: (error as NodeJS.ErrnoException).code });
  }
}

/** A tar up to this size is inflated once, in memory, checked, then written; a larger one is streamed twice. */
const inMemoryBytes = 64 * 1024 * 1024;

function inflateSmall(archive: Buffer, what: string): Buffer | undefined {
  try {
    return gunzipSync(archive, { maxOutputLength: inMemoryBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return undefined;
    throw unsafe(what, "corrupt", `is not a valid gzip stream: ${(error as Error).message}`);
  }
}

/** The final word on symlinks: each one, fully resolved, stays inside the tree (or dangles inside). */
function verifyLinks(root: string, links: ReadonlySet<string>, what: string): void {
  if (links.size === 0) return;
  const real = realpathSync(root);
  for (const link of links) {
    let resolved: string;
    try {
      resolved = realpathSync(join(root, link));
    } catch {
      continue;
    }
    const rel = relative(real, resolved);
    if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
      throw unsafe(what, "link-escape", `has a link "${link}" that resolves outside the plugin`, undefined, { entry: link });
    }
  }
}

class TreeWriter {
  files = 0;
  bytes = 0;
  private inflated = 0;
  /** symlinks made so far: nothing is written through them, and they are verified at the end */
  readonly symlinks = new Set<string>();
  private readonly regular = new Set<string>();
  private readonly dirs = new Set<string>([""]);
  private failure: unknown;

  constructor(
    private readonly options: ExtractOptions,
    private readonly limits: ArchiveLimits,
    private readonly ops: TreeOps,
  ) {}

  /** Streams a large gzip through the parser, so a bomb is refused from its headers without being inflated. */
  run(archive: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const gunzip = createGunzip();
      const parser = this.parser();
      const maxInflated = this.limits.maxBytes + this.limits.maxFiles * 1536 + 1024 * 1024;
      const fail = (error: unknown) => {
        this.failure ??= error;
        gunzip.destroy();
        reject(this.failure);
      };
      parser.on("error", (error: unknown) => fail(corrupt(this.options.what, error)));
      gunzip.on("error", (error) => fail(this.failure ?? unsafe(this.options.what, "corrupt", `is not a valid gzip stream: ${error.message}`)));
      gunzip.on("data", (chunk: Buffer) => {
        this.inflated += chunk.length;
        if (this.inflated > maxInflated) return fail(tooLarge(this.options.what, "too-large", `inflates past ${this.limits.maxBytes} bytes`, this.limits));
        parser.write(chunk);
        if (this.failure) fail(this.failure);
      });
      gunzip.on("end", () => {
        parser.end();
        if (this.failure) reject(this.failure);
        else resolve();
      });
      gunzip.end(archive);
    });
  }

  /** Parses a tar already inflated in memory, synchronously. */
  runInflated(tar: Buffer): void {
    const parser = this.parser();
    parser.on("error", (error: unknown) => (this.failure ??= corrupt(this.options.what, error)));
    parser.end(tar);
    if (this.failure) throw this.failure;
  }

  private parser(): Parser {
    const parser = new Parser({ strict: true, onReadEntry: (entry) => this.guard(() => this.entry(entry)) });
    parser.on("warn", (code: string, message: string) => (this.failure ??= unsafe(this.options.what, "corrupt", `is not a valid tarball: ${message}`, undefined, { tarCode: code })));
    return parser;
  }

  private guard(step: () => void): void {
    if (this.failure) return;
    try {
      step();
    } catch (error) {
      this.failure = error;
    }
  }

  private entry(entry: ReadEntry): void {
    const path = this.stripped(entry.path);
    if (path === undefined) return void entry.resume();
    const problem = entryProblem(entry.type, path);
    if (problem) throw unsafe(this.options.what, problem, `has an unsafe entry "${entry.path}" (${problem})`, undefined, { entry: entry.path });
    this.files += 1;
    this.bytes += entry.size ?? 0;
    if (this.files > this.limits.maxFiles) throw tooLarge(this.options.what, "too-many-files", `has more than ${this.limits.maxFiles} entries`, this.limits);
    if (this.bytes > this.limits.maxBytes) throw tooLarge(this.options.what, "too-large", `unpacks to more than ${this.limits.maxBytes} bytes`, this.limits);
    if (path === "") return void entry.resume();
    this.refuseThroughLinks(path, entry.path);
    if (entry.type === "Directory") {
      if (this.symlinks.has(path) || this.regular.has(path)) throw unsafe(this.options.what, "through-link", `replaces "${entry.path}" with a directory`, undefined, { entry: entry.path });
      this.makeDir(path);
      return void entry.resume();
    }
    this.makeDir(dirname(path) === "." ? "" : dirname(path));
    if (entry.type === "SymbolicLink" || entry.type === "Link") return this.link(entry, path);
    this.file(entry, path);
  }

  private stripped(raw: string): string | undefined {
    const parts = raw.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
    if (isAbsolute(raw) || /^[A-Za-z]:/.test(raw) || raw.startsWith("\\")) return raw; // refused by entryProblem
    const strip = this.options.strip ?? 0;
    if (parts.length <= strip) return strip > 0 ? undefined : "";
    return parts.slice(strip).join("/");
  }

  private refuseThroughLinks(path: string, shown: string): void {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (this.symlinks.has(prefix) && i < parts.length) {
        throw unsafe(this.options.what, "through-link", `writes "${shown}" through a link it created`, undefined, { entry: shown });
      }
    }
  }

  private makeDir(path: string): void {
    if (this.dirs.has(path)) return;
    if (this.regular.has(path)) throw unsafe(this.options.what, "through-link", `uses the file "${path}" as a directory`, undefined, { entry: path });
    this.ops.mkdir(path);
    for (let p = path; p !== "." && p !== "" && !this.dirs.has(p); p = dirname(p)) this.dirs.add(p);
  }

  private link(entry: ReadEntry, path: string): void {
    const target = entry.linkpath ?? "";
    const hard = entry.type === "Link";
    const problem = linkTargetProblem(hard ? "hard" : "symbolic", path, hard ? (this.stripped(target) ?? "") : target, this.symlinks);
    if (problem) throw unsafe(this.options.what, problem, `has a link "${entry.path}" → "${target}" that leaves the plugin`, undefined, { entry: entry.path, target });
    this.clear(path);
    if (hard) {
      const from = this.stripped(target) ?? "";
      if (!this.regular.has(from)) throw unsafe(this.options.what, "link-escape", `has a hard link "${entry.path}" to "${target}", which is not a file of the archive`, undefined, { entry: entry.path, target });
      this.ops.hardlink(path, from);
      this.regular.add(path);
    } else {
      this.ops.symlink(path, target);
      this.symlinks.add(path);
    }
    entry.resume();
  }

  private file(entry: ReadEntry, path: string): void {
    this.clear(path);
    const out = this.ops.file(path, ((entry.mode ?? 0o644) & 0o111) !== 0);
    this.regular.add(path);
    entry.on("data", (chunk: Buffer) => this.guard(() => out.write(chunk)));
    entry.on("end", () => this.guard(() => out.end()));
  }

  /** A repeated entry replaces the earlier one (tar's append semantics); never follows a link. */
  private clear(path: string): void {
    if (!this.regular.has(path) && !this.symlinks.has(path)) {
      if (this.dirs.has(path)) throw unsafe(this.options.what, "through-link", `replaces the directory "${path}"`, undefined, { entry: path });
      return;
    }
    this.ops.remove(path);
    this.regular.delete(path);
    this.symlinks.delete(path);
  }
}

function unsafe(what: string, reason: UnsafeReason | "not-gzip" | "corrupt", message: string, hint?: string, details: Record<string, unknown> = {}): AgentError {
  return new AgentError("E_UNSAFE_ARCHIVE", `${capitalize(what)} ${message}; nothing was installed`, {
    hint: hint ?? "Do not install this archive; report it to whoever published it.",
    details: { archive: what, reason, ...details },
  });
}

function corrupt(what: string, error: unknown): AgentError {
  return error instanceof AgentError ? error : unsafe(what, "corrupt", `is not a valid tarball: ${(error as Error).message}`);
}

function tooLarge(what: string, reason: "too-large" | "too-many-files", message: string, limits: ArchiveLimits): AgentError {
  return new AgentError("E_TOO_LARGE", `${capitalize(what)} ${message}; nothing was installed`, {
    hint: "If the plugin really is this large, raise AGENT_MAX_UNPACKED_BYTES or AGENT_MAX_ARCHIVE_FILES.",
    details: { archive: what, reason, maxBytes: limits.maxBytes, maxFiles: limits.maxFiles },
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
