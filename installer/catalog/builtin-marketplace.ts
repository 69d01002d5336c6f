import { join } from "node:path";
import type { DirectoryMarketplaceSource } from "./catalog-types.js";

/** The marketplace that ships inside the package: always known, no `marketplace add` needed. */
export const builtinMarketplaceName = "agent-builtin";

export function builtinMarketplaceDir(packageRoot: string): string {
  return join(packageRoot, "fixtures", "marketplaces", builtinMarketplaceName);
}

export function builtinMarketplaceSource(packageRoot: string): DirectoryMarketplaceSource {
  return { source: "directory", path: builtinMarketplaceDir(packageRoot) };
}
