import { closeSync, linkSync, mkdirSync, openSync, symlinkSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** What extraction does to the destination, once every entry has been checked. Paths are relative. */
export interface TreeOps {
  mkdir(path: string): void;
  /** creates a new file (never through an existing name) and returns its chunk writer */
  file(path: string, executable: boolean): { write(chunk: Buffer): void; end(): void };
  symlink(path: string, target: string): void;
  hardlink(path: string, existing: string): void;
  /** removes a file or link an earlier entry of the same name made */
  remove(path: string): void;
}

/** Writes into `root` (which exists): files 0644/0755, directories 0755, O_EXCL so nothing is followed. */
export class FsTreeOps implements TreeOps {
  private readonly open = new Set<number>();

  constructor(private readonly root: string) {}

  mkdir(path: string): void {
    mkdirSync(join(this.root, path), { recursive: true, mode: 0o755 });
  }

  file(path: string, executable: boolean) {
    const fd = openSync(join(this.root, path), "wx", executable ? 0o755 : 0o644);
    this.open.add(fd);
    return {
      write: (chunk: Buffer) => void writeSync(fd, chunk),
      end: () => {
        this.open.delete(fd);
        closeSync(fd);
      },
    };
  }

  symlink(path: string, target: string): void {
    symlinkSync(target, join(this.root, path));
  }

  hardlink(path: string, existing: string): void {
    linkSync(join(this.root, existing), join(this.root, path));
  }

  remove(path: string): void {
    unlinkSync(join(this.root, path));
  }

  closeAll(): void {
    for (const fd of this.open) closeSync(fd);
    this.open.clear();
  }
}

type Op =
  | { op: "mkdir"; path: string }
  | { op: "file"; path: string; executable: boolean; chunks: Buffer[] }
  | { op: "symlink"; path: string; target: string }
  | { op: "hardlink"; path: string; existing: string }
  | { op: "remove"; path: string };

/** Remembers the operations of a checking pass over an in-memory tar, to replay once all passed. */
export class RecordedTreeOps implements TreeOps {
  private readonly ops: Op[] = [];

  mkdir(path: string): void {
    this.ops.push({ op: "mkdir", path });
  }

  file(path: string, executable: boolean) {
    const chunks: Buffer[] = [];
    this.ops.push({ op: "file", path, executable, chunks });
    return { write: (chunk: Buffer) => void chunks.push(chunk), end: () => undefined };
  }

  symlink(path: string, target: string): void {
    this.ops.push({ op: "symlink", path, target });
  }

  hardlink(path: string, existing: string): void {
    this.ops.push({ op: "hardlink", path, existing });
  }

  remove(path: string): void {
    this.ops.push({ op: "remove", path });
  }

  replay(target: TreeOps): void {
    for (const op of this.ops) {
      if (op.op === "file") {
        const out = target.file(op.path, op.executable);
        for (const chunk of op.chunks) out.write(chunk);
        out.end();
      } else if (op.op === "mkdir") target.mkdir(op.path);
      else if (op.op === "symlink") target.symlink(op.path, op.target);
      else if (op.op === "hardlink") target.hardlink(op.path, op.existing);
      else target.remove(op.path);
    }
  }
}

/** A checking pass that writes nothing and keeps nothing (archives too large to hold in memory). */
export const noTreeOps: TreeOps = {
  mkdir: () => undefined,
  file: () => ({ write: () => undefined, end: () => undefined }),
  symlink: () => undefined,
  hardlink: () => undefined,
  remove: () => undefined,
};
