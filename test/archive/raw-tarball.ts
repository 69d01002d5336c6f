import { gzipSync } from "node:zlib";
import { Header, type HeaderData } from "tar";

/** One entry written header-first, exactly as given: no path cleaning, any type, any link target. */
export interface RawEntry {
  path: string;
  type?: HeaderData["type"];
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
  /** declared size when it differs from the body (the body is then padded with zeros) */
  size?: number;
}

/** Builds a gzip tarball block by block, for archives a careful tool would refuse to write. */
export function rawTarball(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const size = entry.size ?? body.length;
    const header = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: entry.type ?? "File",
      size: entry.type === undefined || entry.type === "File" ? size : 0,
      mode: entry.mode ?? 0o644,
      linkpath: entry.linkpath ?? "",
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    }).encode(header);
    blocks.push(header);
    if (size > 0) blocks.push(Buffer.concat([body, Buffer.alloc(Math.ceil(size / 512) * 512 - body.length)]));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/**
 * A real gzip bomb: one file entry declaring `bytes` of zeros, its body made of repeated gzip members of
 * 1 MiB of zeros each (gunzip and `tar -xzf` read concatenated members), so the .tgz stays about 1 KiB
 * per MiB.
 */
export function zeroBomb(bytes: number, path = "package/zeros.bin"): Buffer {
  const header = Buffer.alloc(512);
  new Header({ path, type: "File", size: bytes, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }).encode(header);
  const mib = 1024 * 1024;
  const zeros = gzipSync(Buffer.alloc(mib), { level: 9 });
  const members = [gzipSync(header)];
  for (let i = 0; i < Math.floor(bytes / mib); i++) members.push(zeros);
  members.push(gzipSync(Buffer.alloc(bytes % mib + ((512 - (bytes % 512)) % 512) + 1024)));
  return Buffer.concat(members);
}
