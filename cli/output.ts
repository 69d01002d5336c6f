import type { Style } from "./command-spec.js";

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  const id = (s: string) => s;
  return {
    bold: color ? wrap(1, 22) : id,
    dim: color ? wrap(2, 22) : id,
    red: color ? wrap(31, 39) : id,
    green: color ? wrap(32, 39) : id,
    yellow: color ? wrap(33, 39) : id,
    cyan: color ? wrap(36, 39) : id,
    ok: color ? wrap(32, 39)("✔") : "✔",
    fail: color ? wrap(31, 39)("✘") : "✘",
    warn: color ? wrap(33, 39)("⚠") : "⚠",
    bullet: "❯",
  };
}

/** Colors only on a TTY, never with NO_COLOR set (any non-empty value) or TERM=dumb; a non-empty FORCE_COLOR other than "0" forces them. */
export function colorEnabled(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return Boolean((stream as NodeJS.WriteStream).isTTY);
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** A small aligned table for text output. */
export function table(rows: string[][], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visibleLength(cell)))).join("  "))
    .join("\n");
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, "").length;
}
