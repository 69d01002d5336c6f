import { stat } from "../files/async-fs.js";
import { join, resolve } from "node:path";
import type { z } from "zod";
import { AgentError } from "../../schemas/errors.js";
import type { directoryMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import { headCommit } from "../git/clone-repo.js";
import { gitOptionsFor } from "./fetcher.js";
import type { MarketplaceSourceHandler } from "./source.js";

type DirectorySource = z.infer<typeof directoryMarketplaceSourceSchema>;

/** A local directory holding .claude-plugin/marketplace.json, read in place (no copy), like Claude Code. */
export const directoryMarketplace: MarketplaceSourceHandler<DirectorySource> = {
  kind: "directory",
  async fetch(source, _dest, ctx) {
    const dir = resolve(source.path);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new AgentError("E_NOT_FOUND", `Path does not exist: ${dir}`, { hint: "Check the directory path.", details: { path: dir } });
    }
    const commit = await headCommit(dir, gitOptionsFor(ctx));
    return { installLocation: dir, manifestPath: join(dir, ".claude-plugin", "marketplace.json"), pluginRoot: dir, ...(commit ? { commit } : {}) };
  },
};
