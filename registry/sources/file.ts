import { stat } from "../files/async-fs.js";
import { resolve } from "node:path";
import type { z } from "zod";
import { AgentError } from "../../schemas/errors.js";
import type { fileMarketplaceSourceSchema } from "../../schemas/marketplace-source.js";
import { fileMarketplaceRoot } from "../marketplace/marketplace-paths.js";
import type { MarketplaceSourceHandler } from "./source.js";

type FileSource = z.infer<typeof fileMarketplaceSourceSchema>;

/** A local marketplace .json file, read in place. Relative sources resolve per fileMarketplaceRoot. */
export const fileMarketplace: MarketplaceSourceHandler<FileSource> = {
  kind: "file",
  async fetch(source) {
    const file = resolve(source.path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      throw new AgentError("E_NOT_FOUND", `Path does not exist: ${file}`, { hint: "Check the path of the marketplace .json file.", details: { path: file } });
    }
    return { installLocation: file, manifestPath: file, pluginRoot: fileMarketplaceRoot(file, source) };
  },
};
