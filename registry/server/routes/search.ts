import { Hono, type Context } from "hono";
import { requireRead } from "../auth/access.js";
import type { RegistryEnv } from "../context.js";
import type { PackageSummary } from "../storage/storage.js";

/** npm's search API (`npm search --registry`): GET /-/v1/search?text=&size=&from=, and GET /-/search?q=. */
export function searchRoutes(app: Hono<RegistryEnv>): void {
  const search = async (c: Context<RegistryEnv>, text: string) => {
    requireRead(c);
    const size = clamp(Number.parseInt(c.req.query("size") ?? "20", 10), 1, 250, 20);
    const from = clamp(Number.parseInt(c.req.query("from") ?? "0", 10), 0, 100_000, 0);
    const result = await c.get("deps").storage.searchPackages({ text, size, from });
    return c.json({ objects: result.packages.map(searchObject), total: result.total, time: new Date().toUTCString() });
  };
  app.get("/-/v1/search", (c) => search(c, c.req.query("text") ?? ""));
  app.get("/-/search", (c) => search(c, c.req.query("q") ?? ""));
}

function searchObject(summary: PackageSummary) {
  return {
    package: {
      name: summary.name,
      version: summary.version,
      ...(summary.description ? { description: summary.description } : {}),
      keywords: summary.keywords ?? [],
      date: summary.modified,
      links: {},
      publisher: summary.owners[0] ? { username: summary.owners[0] } : undefined,
      maintainers: summary.owners.map((username) => ({ username })),
    },
    score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
    searchScore: 1,
  };
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
