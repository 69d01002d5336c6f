import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./lsp-server.js";

const severities = ["", "error", "warning", "info", "hint"];

function shown(path: string, projectDir: string): string {
  const rel = relative(projectDir, path);
  return rel.startsWith("..") ? path : rel;
}

/** Diagnostics as "file:line:col: severity: message [source code]", 1-based like an editor. */
export function formatDiagnostics(file: string, diagnostics: Diagnostic[], projectDir: string): string {
  if (diagnostics.length === 0) return `No diagnostics for ${shown(file, projectDir)}`;
  return diagnostics
    .map((d) => {
      const where = `${shown(file, projectDir)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const origin = [d.source, d.code].filter((x) => x !== undefined && x !== "").join(" ");
      return `${where}: ${severities[d.severity ?? 1] ?? "error"}: ${d.message}${origin ? ` [${origin}]` : ""}`;
    })
    .join("\n");
}

interface Location {
  uri?: string;
  range?: { start: { line: number; character: number } };
  targetUri?: string;
  targetSelectionRange?: { start: { line: number; character: number } };
}

/** Definition results (Location, Location[] or LocationLink[]) as "file:line:col" lines. */
export function formatDefinition(result: unknown, projectDir: string): string {
  const list = (Array.isArray(result) ? result : result ? [result] : []) as Location[];
  const lines = list.flatMap((loc) => {
    const uri = loc.targetUri ?? loc.uri;
    const start = loc.targetSelectionRange?.start ?? loc.range?.start;
    if (!uri || !start) return [];
    const path = uri.startsWith("file:") ? shown(fileURLToPath(uri), projectDir) : uri;
    return [`${path}:${start.line + 1}:${start.character + 1}`];
  });
  return lines.length > 0 ? lines.join("\n") : "No definition found";
}

type MarkedString = string | { language?: string; value: string };

/** Hover contents (MarkupContent, MarkedString or MarkedString[]) as plain text. */
export function formatHover(result: unknown): string {
  const contents = (result as { contents?: MarkedString | MarkedString[] | { kind: string; value: string } } | null)?.contents;
  if (contents === undefined) return "No hover information";
  const parts = Array.isArray(contents) ? contents : [contents];
  const text = parts
    .map((p) => (typeof p === "string" ? p : "language" in p && p.language ? `\`\`\`${p.language}\n${p.value}\n\`\`\`` : p.value))
    .filter(Boolean)
    .join("\n\n")
    .trim();
  return text || "No hover information";
}
