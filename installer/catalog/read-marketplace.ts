import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import { parseMarketplaceJson } from "../../registry/marketplace/read-marketplace.js";
import type { LenientMarketplace } from "../../schemas/marketplace.js";

/**
 * Reads a materialized marketplace: a directory holding .claude-plugin/marketplace.json, or the JSON file
 * itself (url/file/npm sources). One bad entry becomes a stub; a bad file is an E_INVALID_MANIFEST naming it.
 */
export async function readMarketplaceAt(installLocation: string): Promise<{ manifest: LenientMarketplace; pluginRoot: string | undefined; manifestPath: string }> {
  // synchronous: a stat and a read of one small file, cheaper than their round trips through the thread pool
  const info = statSync(installLocation, { throwIfNoEntry: false });
  if (!info) {
    throw new AgentError("E_NOT_FOUND", `Marketplace location ${installLocation} does not exist`, {
      hint: "Run `agent plugin marketplace update` to fetch it again.",
      details: { installLocation },
    });
  }
  const manifestPath = info.isDirectory() ? join(installLocation, ".claude-plugin", "marketplace.json") : installLocation;
  const pluginRoot = info.isDirectory() ? installLocation : dirname(dirname(installLocation));
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch (error) {
    throw new AgentError("E_INVALID_MANIFEST", `${manifestPath}: ${(error as Error).message}`, { details: { file: manifestPath } });
  }
  return { manifest: await parseMarketplaceJson(text, manifestPath), pluginRoot, manifestPath };
}
