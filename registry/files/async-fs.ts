import * as fs from "node:fs";
import { promisify } from "node:util";

/**
 * The promise-returning file functions of agent, made from node:fs's callback functions: the same calls,
 * results and errors as node:fs/promises', which every module uses in its place. On Node 20 loading
 * node:fs/promises loads the stream and readline modules too (~7 ms of every command on a slow machine);
 * these load nothing. `open` gives a file descriptor, to use with `close`, `fsync` and `writeFile`.
 */
export const readFile = promisify(fs.readFile);
export const writeFile = promisify(fs.writeFile);
export const appendFile = promisify(fs.appendFile);
export const stat = promisify(fs.stat);
export const lstat = promisify(fs.lstat);
export const mkdir = promisify(fs.mkdir);
export const mkdtemp = promisify(fs.mkdtemp);
export const readdir = promisify(fs.readdir);
export const rename = promisify(fs.rename);
export const rm = promisify(fs.rm);
export const rmdir = promisify(fs.rmdir);
export const readlink = promisify(fs.readlink);
/** the system's realpath(3), as fs/promises' is: fs.realpath resolves each path component with an lstat of its own */
export const realpath = promisify(fs.realpath.native);
export const symlink = promisify(fs.symlink);
export const link = promisify(fs.link);
export const chmod = promisify(fs.chmod);
export const copyFile = promisify(fs.copyFile);
export const open = promisify(fs.open);
export const close = promisify(fs.close);
export const fsync = promisify(fs.fsync);

/** Copies a directory tree (fs/promises' cp, loaded on first use: few commands copy trees this way). */
export async function cp(source: string, destination: string, options?: fs.CopyOptions): Promise<void> {
  const { cp: copy } = await import("node:fs/promises");
  await copy(source, destination, options);
}
