import { readFileSync } from "node:fs";
import type { FindingCode } from "../../schemas/validation-report.js";

/** A JSON file read from disk: the value, or why it could not be had (never thrown). */
export type JsonFileRead =
  | { ok: true; value: unknown }
  | { ok: false; code: Extract<FindingCode, "path-not-found" | "manifest-json" | "file-encoding" | "unreadable">; message: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

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
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, code: "path-not-found", message: `File not found: ${file}` };
    return { ok: false, code: "unreadable", message: `Cannot read ${file}: ${code ?? (error as Error).message}` };
  }
  try {
    const text = utf8.decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { ok: false, code: "file-encoding", message: "File is not valid UTF-8 text" };
  }
}

