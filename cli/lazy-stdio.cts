import { fstatSync, statSync, writeSync } from "node:fs";

/**
 * process.stdout or process.stderr, made only when a command needs more of it than `write` and `isTTY`.
 * Most commands print a few lines, and making the stream (a net.Socket on a pipe, a tty.WriteStream on a
 * terminal) loads Node's stream and net modules: several ms of every start. Until then each write goes
 * straight to the file descriptor — as the stream itself writes on Linux, synchronously, so the output
 * keeps its order whichever way a line went. A reader that went away (`agent … | head -1`) ends the
 * output quietly, as it does for git or ls.
 */
export function lazyStdio(fd: 1 | 2, make: () => NodeJS.WriteStream): NodeJS.WriteStream {
  let stream: NodeJS.WriteStream | undefined;
  const real = () => (stream ??= make());
  let closed = false;
  const tty = isTerminal(fd);
  const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    const done = typeof encoding === "function" ? encoding : callback;
    if (!closed) {
      try {
        writeAll(fd, typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : chunk);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // a descriptor someone made non-blocking: the stream waits for it
        if (code === "EAGAIN") return real().write(chunk as string, done);
        if (code !== "EPIPE") throw error;
        closed = true;
      }
    }
    if (done) process.nextTick(done);
    return true;
  };
  return standIn(real, (key) => (stream ? unanswered : key === "write" ? write : key === "isTTY" ? tty || undefined : unanswered));
}

/** process.stdin, made on first use of anything but `isTTY` (on a pipe or a file it loads the stream modules). */
export function lazyStdin(make: () => NodeJS.ReadStream): NodeJS.ReadStream {
  let stream: NodeJS.ReadStream | undefined;
  const tty = isTerminal(0);
  return standIn(() => (stream ??= make()), (key) => (!stream && key === "isTTY" ? tty || undefined : unanswered));
}

const unanswered = Symbol("unanswered");

/** An object that answers what `own` answers, and hands every other use to the stream `real` makes. */
function standIn<T extends object>(real: () => T, own: (key: string | symbol) => unknown): T {
  return new Proxy({} as T, {
    get(_, key) {
      const answer = own(key);
      if (answer !== unanswered) return answer;
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(_, key, value) {
      const target = real();
      return Reflect.set(target, key, value, target);
    },
  });
}

/**
 * Whether a descriptor is a terminal, without node:tty (whose isatty loads the net and stream modules):
 * a character device that is not one of the memory devices (/dev/null, /dev/zero, …, which share the
 * null device's major number). On Windows, where consoles are not character devices, node:tty decides.
 */
export function isTerminal(fd: number): boolean {
  if (process.platform === "win32") return (require("node:tty") as typeof import("node:tty")).isatty(fd);
  try {
    const info = fstatSync(fd);
    return info.isCharacterDevice() && major(info.rdev) !== major(statSync("/dev/null").rdev);
  } catch {
    return false; // a closed descriptor
  }
}

/** The device's major number, as far as telling device families apart needs: above the minor number's low byte. */
function major(rdev: number): number {
  return Math.floor(rdev / 256);
}

/** writeSync until every byte is written (a pipe may take part of a large write). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
