import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, linkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extractTarball } from "../../registry/archive/extract-tarball.js";
import { AgentError } from "../../schemas/errors.js";
import { requireTool } from "../support/real-parts.js";
import { rawTarball, zeroBomb } from "./raw-tarball.js";

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp dir holding the archive's destination and an "outside" file an attack would reach for. */
function sandbox() {
  const root = mkdtempSync(join(tmpdir(), "agent-extract-"));
  sandboxes.push(root);
  mkdirSync(join(root, "outside"));
  writeFileSync(join(root, "outside", "secret.txt"), "untouched");
  return { root, dest: join(root, "work", "dest"), outside: join(root, "outside") };
}

/** Runs GNU tar in `cwd`; returns the archive bytes. */
function gnuTar(cwd: string, args: string[]): Buffer {
  requireTool("tar");
  const file = join(cwd, "..", `archive-${Math.random().toString(36).slice(2)}.tgz`);
  execFileSync("tar", ["-czf", file, ...args], { cwd, stdio: "pipe" });
  return readFileSync(file);
}

async function refusal(archive: Buffer, dest: string, limits?: { maxBytes?: number; maxFiles?: number }): Promise<AgentError> {
  mkdirSync(join(dest, ".."), { recursive: true });
  const error = await extractTarball(archive, dest, { what: "archive test.tgz", ...(limits ? { limits } : {}) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

/** Nothing was written anywhere in the sandbox: no destination, the outside file intact and alone. */
function expectNothingWritten(box: ReturnType<typeof sandbox>) {
  expect(existsSync(box.dest)).toBe(false);
  expect(readdirSync(box.outside)).toEqual(["secret.txt"]);
  expect(readFileSync(join(box.outside, "secret.txt"), "utf8")).toBe("untouched");
}

describe("extractTarball on well-formed archives", () => {
  it("unpacks a GNU tar plugin archive with nested dirs, an executable and an inner symlink", async () => {
    const box = sandbox();
    const src = join(box.root, "src");
    mkdirSync(join(src, "package", ".claude-plugin"), { recursive: true });
    mkdirSync(join(src, "package", "bin"));
    writeFileSync(join(src, "package", ".claude-plugin", "plugin.json"), '{"name":"p","version":"1.0.0"}');
    writeFileSync(join(src, "package", "bin", "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o775 });
    symlinkSync("bin/run.sh", join(src, "package", "run"));
    const archive = gnuTar(src, ["package"]);
    mkdirSync(join(box.root, "work"));
    const result = await extractTarball(archive, box.dest, { what: "archive p.tgz", strip: 1 });
    expect(result.files).toBe(5);
    expect(readFileSync(join(box.dest, ".claude-plugin", "plugin.json"), "utf8")).toContain('"p"');
    expect(statSync(join(box.dest, "bin", "run.sh")).mode & 0o777).toBe(0o755);
    expect(statSync(join(box.dest, ".claude-plugin", "plugin.json")).mode & 0o777).toBe(0o644);
    expect(readlinkSync(join(box.dest, "run"))).toBe("bin/run.sh");
  });

  it("streams an archive too large to inflate in memory (70 MB of zeros) to disk", async () => {
    const box = sandbox();
    mkdirSync(join(box.root, "work"));
    const size = 70 * 1024 * 1024;
    const result = await extractTarball(zeroBomb(size), box.dest, { what: "archive big.tgz", strip: 1 });
    expect(result).toEqual({ files: 1, bytes: size });
    expect(statSync(join(box.dest, "zeros.bin")).size).toBe(size);
  });

  it("refuses a file that is not gzip with a clear message and writes nothing", async () => {
    const box = sandbox();
    const error = await refusal(Buffer.from("PK\u0003\u0004 this is a zip"), box.dest);
    expect(error.code).toBe("E_UNSAFE_ARCHIVE");
    expect(error.details.reason).toBe("not-gzip");
    expect(error.message).toMatch(/not a gzip tarball/);
    expect(error.hint).toBeTruthy();
    expectNothingWritten(box);
  });

  it("refuses a truncated tarball and removes what it had written", async () => {
    const box = sandbox();
    const whole = rawTarball([{ path: "package/a.txt", body: "x".repeat(5000) }]);
    const { gunzipSync, gzipSync } = await import("node:zlib");
    const cut = gzipSync(gunzipSync(whole).subarray(0, 1024));
    const error = await refusal(cut, box.dest);
    expect(error.code).toBe("E_UNSAFE_ARCHIVE");
    expect(error.details.reason).toBe("corrupt");
    expectNothingWritten(box);
  });
});

describe("extractTarball refuses malicious archives before writing anything", () => {
  it("an absolute path written by tar -P", async () => {
    const box = sandbox();
    writeFileSync(join(box.root, "pwned.txt"), "evil");
    const archive = gnuTar(box.root, ["-P", join(box.root, "pwned.txt")]);
    rmSync(join(box.root, "pwned.txt"));
    const error = await refusal(archive, box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "absolute-path"]);
    expect(existsSync(join(box.root, "pwned.txt"))).toBe(false);
    expectNothingWritten(box);
  });

  it("a ../ path written by tar -P", async () => {
    const box = sandbox();
    mkdirSync(join(box.root, "pkg"));
    writeFileSync(join(box.outside, "pwned.txt"), "evil");
    const archive = gnuTar(join(box.root, "pkg"), ["-P", "../outside/pwned.txt"]);
    rmSync(join(box.outside, "pwned.txt"));
    const error = await refusal(archive, box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "path-traversal"]);
    expectNothingWritten(box);
  });

  it("a symlink to an absolute path outside, made with ln -s", async () => {
    const box = sandbox();
    mkdirSync(join(box.root, "pkg"));
    symlinkSync(box.outside, join(box.root, "pkg", "escape"));
    const error = await refusal(gnuTar(join(box.root, "pkg"), ["escape"]), box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "link-escape"]);
    expectNothingWritten(box);
  });

  it("a relative symlink that climbs out, followed by a write through it", async () => {
    const box = sandbox();
    const archive = rawTarball([
      { path: "package/escape", type: "SymbolicLink", linkpath: "../../../outside" },
      { path: "package/escape/secret.txt", body: "overwritten" },
    ]);
    const error = await refusal(archive, box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "link-escape"]);
    expectNothingWritten(box);
  });

  it("a write through an inner symlink, and a link chained through another link", async () => {
    const box = sandbox();
    const through = await refusal(rawTarball([{ path: "here", type: "SymbolicLink", linkpath: "." }, { path: "here/x.txt", body: "x" }]), box.dest);
    expect(through.details.reason).toBe("through-link");
    const chained = await refusal(rawTarball([{ path: "a", type: "SymbolicLink", linkpath: "." }, { path: "b", type: "SymbolicLink", linkpath: "a/.." }]), box.dest);
    expect(chained.details.reason).toBe("link-escape");
    expectNothingWritten(box);
  });

  it("hard links to a file outside, by absolute and by relative path", async () => {
    const box = sandbox();
    const secret = join(box.outside, "secret.txt");
    for (const linkpath of [secret, "../outside/secret.txt"]) {
      const error = await refusal(rawTarball([{ path: "package/hard", type: "Link", linkpath }]), box.dest);
      expect([error.code, error.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "link-escape"]);
    }
    expect(lstatSync(secret).nlink).toBe(1);
    expectNothingWritten(box);
  });

  it("a hard link made by GNU tar to a file of the archive is kept as a file", async () => {
    const box = sandbox();
    mkdirSync(join(box.root, "pkg"));
    writeFileSync(join(box.root, "pkg", "a.txt"), "same");
    linkSync(join(box.root, "pkg", "a.txt"), join(box.root, "pkg", "b.txt"));
    mkdirSync(join(box.root, "work"));
    await extractTarball(gnuTar(join(box.root, "pkg"), ["a.txt", "b.txt"]), box.dest, { what: "archive" });
    expect(readFileSync(join(box.dest, "b.txt"), "utf8")).toBe("same");
  });

  it("a fifo made with mkfifo, and character and block devices", async () => {
    const box = sandbox();
    requireTool("mkfifo");
    mkdirSync(join(box.root, "pkg"));
    execFileSync("mkfifo", [join(box.root, "pkg", "pipe")]);
    const fifo = await refusal(gnuTar(join(box.root, "pkg"), ["pipe"]), box.dest);
    expect([fifo.code, fifo.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "special-file"]);
    for (const type of ["CharacterDevice", "BlockDevice"] as const) {
      const device = await refusal(rawTarball([{ path: "package/dev", type }]), box.dest);
      expect([device.code, device.details.reason]).toEqual(["E_UNSAFE_ARCHIVE", "special-file"]);
    }
    expectNothingWritten(box);
  });

  it("1 GB of zeros compressed to about a megabyte", async () => {
    const box = sandbox();
    const bomb = zeroBomb(1024 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const error = await refusal(bomb, box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_TOO_LARGE", "too-large"]);
    expect(error.hint).toMatch(/AGENT_MAX_UNPACKED_BYTES/);
    expectNothingWritten(box);
  });

  it("100,000 tiny files", async () => {
    const box = sandbox();
    const archive = rawTarball(Array.from({ length: 100_000 }, (_, i) => ({ path: `package/f${i}`, body: "x" })));
    const error = await refusal(archive, box.dest);
    expect([error.code, error.details.reason]).toEqual(["E_TOO_LARGE", "too-many-files"]);
    expectNothingWritten(box);
  });

  it("many files that together pass the size limit", async () => {
    const box = sandbox();
    const archive = rawTarball(Array.from({ length: 20 }, (_, i) => ({ path: `package/f${i}`, body: Buffer.alloc(64 * 1024) })));
    const error = await refusal(archive, box.dest, { maxBytes: 1024 * 1024 });
    expect([error.code, error.details.reason]).toEqual(["E_TOO_LARGE", "too-large"]);
    expectNothingWritten(box);
  });
});
