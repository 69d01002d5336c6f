import {
  appendFile as appendFileCallback,
  chmod as chmodCallback,
  close as closeCallback,
  copyFile as copyFileCallback,
  fsync as fsyncCallback,
  link as linkCallback,
  lstat as lstatCallback,
  mkdir as mkdirCallback,
  mkdtemp as mkdtempCallback,
  open as openCallback,
  readFile as readFileCallback,
  readdir as readdirCallback,
  readlink as readlinkCallback,
  realpath as realpathCallback,
  rename as renameCallback,
  rm as rmCallback,
  rmdir as rmdirCallback,
  stat as statCallback,
  symlink as symlinkCallback,
  writeFile as writeFileCallback,
  type CopyOptions,
} from "node:fs";
import { promisify } from "node:util";

/**
 * The promise-returning file functions of agent, made from node:fs's callback functions: the same calls,
 * results and errors as node:fs/promises', which every module uses in its place. On Node 20 loading
 * node:fs/promises loads the stream and readline modules too (~7 ms of every command on a slow machine);
 * these load nothing. `open` gives a file descriptor, to use with `close`, `fsync` and `writeFile`.
 */
export const readFile = promisify(readFileCallback);
export const writeFile = promisify(writeFileCallback);
export const appendFile = promisify(appendFileCallback);
export const stat = promisify(statCallback);
export const lstat = promisify(lstatCallback);
export const mkdir = promisify(mkdirCallback);
export const mkdtemp = promisify(mkdtempCallback);
export const readdir = promisify(readdirCallback);
export const rename = promisify(renameCallback);
export const rm = promisify(rmCallback);
export const rmdir = promisify(rmdirCallback);
export const readlink = promisify(readlinkCallback);
/** the system's realpath(3), as fs/promises' is: fs.realpath resolves each path component with an lstat of its own */
export const realpath = promisify(realpathCallback.native);
export const symlink = promisify(symlinkCallback);
export const link = promisify(linkCallback);
export const chmod = promisify(chmodCallback);
export const copyFile = promisify(copyFileCallback);
export const open = promisify(openCallback);
export const close = promisify(closeCallback);
export const fsync = promisify(fsyncCallback);

/** Copies a directory tree (fs/promises' cp, loaded on first use: few commands copy trees this way). */
export async function cp(source: string, destination: string, options?: CopyOptions): Promise<void> {
  const { cp: copy } = await import("node:fs/promises");
  await copy(source, destination, options);
}
