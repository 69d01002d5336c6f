import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import type { FindingCode } from "../../schemas/validation-report.js";

/** A JSON file read from disk: the value, or why it could not be had (never thrown). */
export type JsonFileRead =
  | { ok: true; value: unknown }
  | { ok: false; code: Extract<FindingCode, "path-not-found" | "manifest-json" | "file-encoding" | "unreadable">; message: string };

/** Reads and parses a JSON file. Invalid UTF-8, bad syntax and I/O failures come back as data. */
export function readJsonFile(file: string): JsonFileRead {
  const text = readTextFile(file);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.text) };
  } catch (error) {
    return { ok: false, code: "manifest-json", message: `Invalid JSON syntax: ${(error as Error).message}` };
  }
}

export type TextFileRead =
  | { ok: true; text: string }
  | { ok: false; code: Extract<FindingCode, "path-not-found" | "file-encoding" | "unreadable">; message: string };

/** Reads a UTF-8 text file (a leading BOM is dropped). */
export function readTextFile(file: string): TextFileRead {
  let bytes: Buffer;
  try {
    bytes = readBytes(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, code: "path-not-found", message: `File not found: ${file}` };
    return { ok: false, code: "unreadable", message: `Cannot read ${file}: ${code ?? (error as Error).message}` };
  }
  if (!isUtf8(bytes)) return { ok: false, code: "file-encoding", message: "File is not valid UTF-8 text" };
  const text = bytes.toString("utf8");
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Reused by every read: a plugin's files are small, and most fit it whole. */
const buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's bytes by open, read, close: no stat, as a read that returns less than asked of a regular file
 * has reached its end. What fits is returned as a view of the shared buffer, valid until the next call.
 */
function readBytes(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    let length = readSync(fd, buffer, 0, buffer.length, null);
    if (length < buffer.length) return buffer.subarray(0, length);
    const chunks = [Buffer.from(buffer)];
    for (let chunk = Buffer.allocUnsafe(buffer.length); (length = readSync(fd, chunk, 0, chunk.length, null)) > 0; chunk = Buffer.allocUnsafe(buffer.length)) chunks.push(chunk.subarray(0, length));
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
