import { readFile, stat } from "../files/async-fs.js";
import { join } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { formatZodIssues } from "../../schemas/format-issues.js";
import type { LenientMarketplace } from "../../schemas/marketplace.js";
import { parseLenientMarketplace } from "../../schemas/parsers.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import { fileMarketplaceRoot, manifestPathIn } from "./marketplace-paths.js";

export { fileMarketplaceRoot, manifestPathIn };

export interface ReadMarketplace {
  manifest: LenientMarketplace;
  manifestPath: string;
  /** directory relative plugin sources resolve against; undefined when there is none (url, npm file) */
  pluginRoot: string | undefined;
}

/**
 * Reads a materialized marketplace leniently (reference §3.1: a bad entry becomes an "unsupported" stub,
 * the rest stays usable). `location` is a directory holding .claude-plugin/marketplace.json or the JSON
 * file itself. A file that is not JSON, or whose top level is invalid, is E_INVALID_MANIFEST with the
 * JSON path of each bad field.
 */
export async function readMarketplace(location: string, source?: MarketplaceSource): Promise<ReadMarketplace> {
  const info = await stat(location).catch(() => undefined);
  if (!info) {
    throw new AgentError("E_NOT_FOUND", `Marketplace location ${location} does not exist`, {
      hint: "Run `agent plugin marketplace update` to fetch it again.",
      details: { location },
    });
  }
  const manifestPath = info.isDirectory() ? join(location, manifestPathIn(source)) : location;
  const pluginRoot = info.isDirectory() ? location : fileMarketplaceRoot(location, source);
  return { manifest: await parseMarketplaceJson(await readManifestText(manifestPath), manifestPath), manifestPath, pluginRoot };
}

/** A marketplace.json past this is refused before it is read (a url source has its own download limit). */
export const maxMarketplaceFileBytes = 10 * 1024 * 1024;

async function readManifestText(path: string): Promise<string> {
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (size > maxMarketplaceFileBytes) {
    throw new AgentError("E_TOO_LARGE", `${path} is ${size} bytes, more than the ${maxMarketplaceFileBytes / 1024 / 1024} MB a marketplace.json may have`, {
      hint: "A marketplace.json this big is almost certainly wrong; check the source.",
      details: { file: path, bytes: size, maxBytes: maxMarketplaceFileBytes },
    });
  }
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AgentError("E_INVALID_MANIFEST", `No marketplace.json at ${path}`, {
        hint: "A marketplace keeps its catalog in .claude-plugin/marketplace.json at its root.",
        details: { file: path },
      });
    }
    throw error;
  }
}

/**
 * Parses a minimal catalog once, as parseMarketplaceJson does, so the parser's one-time set-up (the
 * walks safeParseFast builds from the schemas) runs while a fetch is still in flight rather than after it.
 */
export async function prepareMarketplaceParser(): Promise<void> {
  await parseLenientMarketplace({ name: "prepare", owner: { name: "agent" }, plugins: [{ name: "prepare", source: "./prepare", version: "1.0.0", description: "" }] });
}

/** Parses marketplace.json text; the edge where its bytes enter. */
export async function parseMarketplaceJson(text: string, file: string): Promise<LenientMarketplace> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: "Fix the JSON syntax (`agent plugin validate <dir>` points at the problem).",
      details: { file },
    });
  }
  const parsed = await parseLenientMarketplace(raw);
  if (!parsed.success) {
    const issues = formatZodIssues(parsed.error.issues);
    throw new AgentError("E_INVALID_MANIFEST", `${file} is invalid: ${issues.join("; ")}`, {
      hint: "Fix the fields named above; `agent plugin validate <dir>` lists every problem.",
      details: { file, issues },
    });
  }
  return parsed.data;
}
