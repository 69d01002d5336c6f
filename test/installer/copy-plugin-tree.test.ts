import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { treeIntegrity } from "../../installer/cache/tree-integrity.js";
import { copyPluginTree } from "../../registry/files/copy-plugin-tree.js";

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function write(path: string, data: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, data);
}

/** A marketplace with one plugin holding every kind of entry the copy treats differently. */
function marketplace(): { root: string; plugin: string } {
  const root = mkdtempSync(join(tmpdir(), "agent-copy-"));
  roots.push(root);
  const plugin = join(root, "plugins", "p");
  write(join(plugin, ".claude-plugin", "plugin.json"), '{"name":"p"}\n');
  // names whose order differs between sorting whole paths and sorting each directory's names
  for (const name of ["a/b.md", "a-c.md", "a.d/e.md", "B.md", "a/z/deep.md"]) write(join(plugin, name), `${name}\n`);
  write(join(plugin, "empty"), "");
  write(join(plugin, "big.bin"), Buffer.alloc(300 * 1024 + 7, 7)); // more than one buffer of the copy
  write(join(plugin, "bin", "run.sh"), "#!/bin/sh\necho hi\n");
  chmodSync(join(plugin, "bin", "run.sh"), 0o755);
  write(join(plugin, ".git", "HEAD"), "ref: refs/heads/main\n");
  write(join(plugin, ".in_use"), "a cache marker, copied but never hashed\n");
  symlinkSync("a/b.md", join(plugin, "inside.md"));
  symlinkSync("../a/z", join(plugin, "bin", "z-dir"));
  write(join(root, "shared", "notes.md"), "shared\n");
  write(join(root, "shared", "dir", "x.md"), "x\n");
  symlinkSync(join(plugin, "a", "b.md"), join(root, "shared", "dir", "back.md")); // into the plugin, from a linked dir
  symlinkSync("/etc/hostname", join(root, "shared", "dir", "escape"));
  symlinkSync(join(root, "plugins"), join(root, "shared", "dir", "loop")); // would copy the plugin into itself
  symlinkSync("../../shared/notes.md", join(plugin, "notes.md"));
  symlinkSync("../../shared/dir", join(plugin, "shared-dir"));
  symlinkSync("/etc/hostname", join(plugin, "outside"));
  symlinkSync("missing.md", join(plugin, "dangling.md"));
  return { root, plugin };
}

describe("copyPluginTree", () => {
  it("hashes what it copies exactly as treeIntegrity hashes the copy on disk", async () => {
    const { root, plugin } = marketplace();
    const dest = join(root, "staged");
    const copied = await copyPluginTree(plugin, root, dest, { hash: true });
    expect(copied.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    expect(copied.integrity).toBe(await treeIntegrity(dest));
  });

  it("follows the link rules: kept inside, content from the marketplace, skipped outside, dangling or looping", async () => {
    const { root, plugin } = marketplace();
    const dest = join(root, "staged");
    const copied = await copyPluginTree(plugin, root, dest);
    expect(copied.integrity).toBeUndefined();
    expect(copied.skippedLinks).toEqual(["dangling.md", "outside", "shared-dir/escape", "shared-dir/loop"]);
    expect(readlinkSync(join(dest, "inside.md"))).toBe("a/b.md");
    expect(readlinkSync(join(dest, "bin", "z-dir"))).toBe("../a/z");
    expect(lstatSync(join(dest, "notes.md")).isFile()).toBe(true);
    expect(readFileSync(join(dest, "notes.md"), "utf8")).toBe("shared\n");
    expect(readFileSync(join(dest, "shared-dir", "x.md"), "utf8")).toBe("x\n");
    // a link into the plugin inside a linked dir points at the same file from where it now is
    expect(readlinkSync(join(dest, "shared-dir", "back.md"))).toBe("../a/b.md");
    expect(readFileSync(join(dest, "shared-dir", "back.md"), "utf8")).toBe("a/b.md\n");
    expect(existsSync(join(dest, ".git"))).toBe(false);
    expect(readFileSync(join(dest, "big.bin")).equals(readFileSync(join(plugin, "big.bin")))).toBe(true);
    expect(statSync(join(dest, "empty")).size).toBe(0);
    expect(statSync(join(dest, "bin", "run.sh")).mode & 0o100).toBe(0o100);
    expect(statSync(join(dest, "a-c.md")).mode & 0o111).toBe(0);
  });

  it("gives equal integrity for equal trees and another for a changed byte or x bit", async () => {
    const first = marketplace();
    const second = marketplace();
    const a = await copyPluginTree(first.plugin, first.root, join(first.root, "staged"), { hash: true });
    const b = await copyPluginTree(second.plugin, second.root, join(second.root, "staged"), { hash: true });
    expect(a.integrity).toBe(b.integrity);
    writeFileSync(join(second.plugin, "a-c.md"), "a-c.md!\n");
    const changed = await copyPluginTree(second.plugin, second.root, join(second.root, "staged-2"), { hash: true });
    expect(changed.integrity).not.toBe(a.integrity);
    writeFileSync(join(second.plugin, "a-c.md"), "a-c.md\n");
    chmodSync(join(second.plugin, "a-c.md"), 0o755);
    const executable = await copyPluginTree(second.plugin, second.root, join(second.root, "staged-3"), { hash: true });
    expect(executable.integrity).not.toBe(a.integrity);
  });
});
