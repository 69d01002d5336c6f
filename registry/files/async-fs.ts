import {
  chmod as chmodCallback,
  close as closeCallback,
  fsync as fsyncCallback,
  link as linkCallback,
  lstat as lstatCallback,
  mkdir as mkdirCallback,
  mkdtemp as mkdtempCallback,
  open as openCallback,
  readFile as readFileCallback,
  readdir as readdirCallback,
  readlink as readlinkCallback,
  rename as renameCallback,
  rm as rmCallback,
  stat as statCallback,
  writeFile as writeFileCallback,
} from "node:fs";

/** A node:fs callback function as a promise-returning one, of type T. */
function promised<T>(fn: (...args: never[]) => void): T {
  // util.promisify would do, but it copies every property of each function it wraps (~60 KB of objects
  // made at start-up for these); none of these functions has a custom promisified form
  return ((...args: unknown[]) => new Promise((resolve, reject) => (fn as (...args: unknown[]) => void)(...args, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value))))) as T;
}

/**
 * The promise-returning file functions of agent, made from node:fs's callback functions: the same calls,
 * results and errors as node:fs/promises', which every module uses in its place. On Node 20 loading
 * node:fs/promises loads the stream and readline modules too (~7 ms of every command on a slow machine);
 * these load nothing. `open` gives a file descriptor, to use with `close`, `fsync` and `writeFile`.
 */
export const readFile = promised<typeof readFileCallback.__promisify__>(readFileCallback);
export const writeFile = promised<typeof writeFileCallback.__promisify__>(writeFileCallback);
export const stat = promised<typeof statCallback.__promisify__>(statCallback);
export const lstat = promised<typeof lstatCallback.__promisify__>(lstatCallback);
export const mkdir = promised<typeof mkdirCallback.__promisify__>(mkdirCallback);
export const mkdtemp = promised<typeof mkdtempCallback.__promisify__>(mkdtempCallback);
export const readdir = promised<typeof readdirCallback.__promisify__>(readdirCallback);
export const rename = promised<typeof renameCallback.__promisify__>(renameCallback);
export const rm = promised<typeof rmCallback.__promisify__>(rmCallback);
export const readlink = promised<typeof readlinkCallback.__promisify__>(readlinkCallback);
export const link = promised<typeof linkCallback.__promisify__>(linkCallback);
export const chmod = promised<typeof chmodCallback.__promisify__>(chmodCallback);
export const open = promised<typeof openCallback.__promisify__>(openCallback);
export const close = promised<typeof closeCallback.__promisify__>(closeCallback);
export const fsync = promised<typeof fsyncCallback.__promisify__>(fsyncCallback);
