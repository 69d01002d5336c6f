import { gzipSync } from "node:zlib";
import { Header } from "tar";

export interface RawEntry {
  path: string;
  body?: string;
  type?: "File" | "Directory" | "SymbolicLink" | "Link";
  linkpath?: string;
}

/** A gzipped tarball written header by header, so tests can make entries `tar` itself would refuse to pack. */
export function rawTarball(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const type = entry.type ?? "File";
    const header = new Header({ path: entry.path, mode: 0o644, size: type === "File" ? body.length : 0, type, mtime: new Date(0), uid: 0, gid: 0, ...(entry.linkpath ? { linkpath: entry.linkpath } : {}) });
    header.encode();
    blocks.push(header.block!);
    if (type === "File" && body.length > 0) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A valid plugin package's files as raw entries, plus extra (hostile) ones. */
export function pluginEntries(name: string, version: string, extra: RawEntry[] = []): RawEntry[] {
  return [
    { path: "package/package.json", body: JSON.stringify({ name, version }) },
    { path: "package/.claude-plugin/plugin.json", body: JSON.stringify({ name: name.split("/").pop(), version }) },
    ...extra,
  ];
}
