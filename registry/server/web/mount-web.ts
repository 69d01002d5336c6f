import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { isAgentError } from "../../../schemas/errors.js";
import { requireRead } from "../auth/access.js";
import type { RegistryEnv } from "../context.js";
import type { Storage } from "../storage/storage.js";
import { componentsCache } from "./components-cache.js";
import { entryNames } from "./entry-names.js";
import { HomePage } from "./home-page.js";
import { MessagePage } from "./message-page.js";
import { PluginPage } from "./plugin-page.js";

export interface WebDeps {
  storage: Storage;
  /** external URL of the registry; by default the registry's publicUrl, else the request's origin */
  baseUrl?: string;
}

const pageSize = 50;
const defaultMarketplaceName = "agent-registry";

/**
 * The web catalog: server-rendered pages, no client script. `GET /` lists and searches plugins
 * (a plain GET form), `GET /plugins/<name>` (scoped: /plugins/@scope/name) shows one plugin.
 * In private mode the pages need a token like every other read.
 */
export function mountWeb(app: Hono<RegistryEnv>, deps: WebDeps): void {
  const components = componentsCache(deps.storage);
  const entryName = entryNames(deps.storage);

  app.get("/", async (c) => {
    const denied = await privateRead(c);
    if (denied) return denied;
    const query = (c.req.query("q") ?? "").slice(0, 200);
    const page = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1);
    const result = await deps.storage.searchPackages({ text: query, size: pageSize, from: (page - 1) * pageSize });
    return page200(c, HomePage({ query, result, page, pageSize, marketplaceUrl: `${baseUrl(c, deps)}/marketplace.json` }));
  });

  app.get("/plugins/:name{.+}", async (c, next) => {
    const name = decodeURIComponent(c.req.param("name"));
    if (name.startsWith("-/")) return next(); // /plugins/-/<file>: a tarball of the package called "plugins"
    const denied = await privateRead(c);
    if (denied) return denied;
    const stored = await deps.storage.getPackument(name);
    const packument = stored?.packument;
    const latest = packument?.["dist-tags"].latest ?? Object.keys(packument?.versions ?? {}).at(-1);
    const version = c.req.query("version") ?? latest;
    const manifest = version ? packument?.versions[version] : undefined;
    if (!packument || !version || !manifest) {
      const what = packument && c.req.query("version") ? `${name}@${c.req.query("version")}` : name;
      return message(c, 404, "Plugin not found", `No plugin named ${what} is published here.`);
    }
    const base = baseUrl(c, deps);
    const shown = await components(name, manifest).catch(() => undefined);
    return page200(
      c,
      PluginPage({
        packument,
        version,
        manifest,
        owners: await deps.storage.getOwners(name),
        components: shown,
        pluginName: (await entryName(name)) ?? shown?.pluginName ?? name.split("/").pop()!,
        marketplaceName: c.var.deps?.marketplaceName ?? defaultMarketplaceName,
        marketplaceUrl: `${base}/marketplace.json`,
      }),
    );
  });
}

/** In private mode a page without a read token is a 401 page (HTML, with the same challenge header as the API). */
async function privateRead(c: Context<RegistryEnv>): Promise<Response | undefined> {
  if (!c.var.deps) return undefined;
  try {
    requireRead(c);
    return undefined;
  } catch (error) {
    if (!isAgentError(error)) throw error;
    const status = error.code === "E_AUTH" ? 401 : 403;
    const response = await message(c, status, "Private registry", `This registry is private: ${error.message}. ${error.hint ?? ""}`.trim());
    if (status === 401) response.headers.set("www-authenticate", 'Bearer realm="agent-registry"');
    return response;
  }
}

function baseUrl(c: Context<RegistryEnv>, deps: WebDeps): string {
  return (deps.baseUrl ?? c.var.deps?.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
}

function document(body: unknown): Promise<HtmlEscapedString> {
  return Promise.resolve(html`<!doctype html>${body}`);
}

async function page200(c: Context, body: unknown): Promise<Response> {
  c.header("cache-control", "no-cache");
  return c.html(await document(body));
}

async function message(c: Context, status: 401 | 403 | 404, title: string, text: string): Promise<Response> {
  return c.html(await document(MessagePage({ title, message: text })), status);
}
