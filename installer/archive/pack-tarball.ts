import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { Header, Pax } from "tar";

/** One file of a package: its path under the prefix, bytes, and whether it is executable; or a symlink. */
export interface PackFile {
  path: string;
  data: Buffer;
  executable: boolean;
  /** set for a symbolic link (data is then empty) */
  linkpath?: string;
}

export interface PackedTarball {
  tarball: Buffer;
  /** sha512 SRI, as npm's `dist.integrity` */
  integrity: string;
  /** sha1 hex, as npm's `dist.shasum` */
  shasum: string;
}

/** npm's fixed date (1985-10-26T08:15:00Z): zip tools choke on the epoch, and it keeps packs byte-identical. */
export const packMtime = new Date("1985-10-26T08:15:00.000Z");

/**
 * An npm-style .tgz whose bytes depend only on the files: entries under `prefix` in byte order of
 * their path, fixed mtime, owner 0, modes 0644/0755, gzip level 9 with a fixed header (no time, OS=unix).
 */
export function packTarball(files: PackFile[], prefix = "package/"): PackedTarball {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const blocks: Buffer[] = [];
  for (const file of sorted) {
    const link = file.linkpath !== undefined;
    const data = {
      path: `${prefix}${file.path}`,
      type: link ? ("SymbolicLink" as const) : ("File" as const),
      size: link ? 0 : file.data.length,
      ...(link ? { linkpath: file.linkpath } : {}),
      mode: file.executable || link ? 0o755 : 0o644,
      mtime: packMtime,
      uid: 0,
      gid: 0,
      uname: "",
      gname: "",
    };
    const header = Buffer.alloc(512);
    if (new Header(data).encode(header)) blocks.push(new Pax(data).encode());
    if (link) blocks.push(header);
    else blocks.push(header, file.data, Buffer.alloc((512 - (file.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tarball = gzipSync(Buffer.concat(blocks), { level: 9 });
  tarball.writeUInt32LE(0, 4); // MTIME
  tarball[9] = 3; // OS: unix, whatever platform zlib was built for
  return {
    tarball,
    integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
    shasum: createHash("sha1").update(tarball).digest("hex"),
  };
}
