import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryApp } from "../../registry/server/app.js";
import { mintToken } from "../../registry/server/auth/token.js";
import type { RegistryEnv } from "../../registry/server/context.js";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import type { Storage } from "../../registry/server/storage/storage.js";
import { npmPublishBody, packPlugin, richPluginFiles } from "./web-fixture.js";

let storage: Storage;
let app: Hono<RegistryEnv>;
let privateApp: Hono<RegistryEnv>;
let publishToken = "";
let readToken = "";
const dirs: string[] = [];

async function publish(files: Record<string, string>): Promise<void> {
  const packed = await packPlugin(files);
  dirs.push(packed.dir);
  const { path, body } = npmPublishBody(packed);
  const res = await app.request(path, { method: "PUT", body, headers: { "content-type": "application/json", authorization: `Bearer ${publishToken}` } });
  expect(res.status, await res.text()).toBe(201);
}

beforeAll(async () => {
  const data = mkdtempSync(join(tmpdir(), "agent-web-data-"));
  dirs.push(data);
  storage = await openFsStorage(data);
  publishToken = (await mintToken(storage, "alice", "publish")).token;
  readToken = (await mintToken(storage, "bob", "read")).token;
  app = createRegistryApp({ storage, publicUrl: "http://registry.test:4873", marketplaceName: "corp-plugins" });
  privateApp = createRegistryApp({ storage, private: true, marketplaceName: "corp-plugins" });
  await publish(richPluginFiles("review-kit", "1.0.0"));
  await publish(richPluginFiles("review-kit", "1.1.0"));
  await publish(richPluginFiles("@corp/deploy-kit", "0.3.0"));
});

afterAll(async () => {
  await storage?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function page(path: string, target = app, headers: Record<string, string> = {}): Promise<{ status: number; html: string; type: string; res: Response }> {
  const res = await target.request(path, { headers });
  return { status: res.status, html: await res.text(), type: res.headers.get("content-type") ?? "", res };
}

describe("web catalog HTML", () => {
  it("lists every plugin on the home page with a search form that works without JavaScript", async () => {
    const { status, html, type } = await page("/");
    expect(status).toBe(200);
    expect(type).toContain("text/html");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<form role="search" method="get" action="\/"/);
    expect(html).toMatch(/<label for="q">Search plugins<\/label>/);
    expect(html).toContain('<a href="/plugins/review-kit">review-kit</a>');
    expect(html).toContain('<a href="/plugins/@corp/deploy-kit">@corp/deploy-kit</a>');
    expect(html).toContain("<code>agent plugin marketplace add http://registry.test:4873/marketplace.json</code>");
    expect(html).not.toContain("<script");
  });

  it("filters the list by the search query", async () => {
    const { html } = await page("/?q=deploy");
    expect(html).toContain("@corp/deploy-kit");
    expect(html).not.toContain('href="/plugins/review-kit"');
    expect((await page("/?q=nothing-matches-this")).html).toContain("No plugin matches this search.");
  });

  it("shows components, permissions, config keys, dependencies, versions and the install commands of a plugin", async () => {
    const { status, html } = await page("/plugins/review-kit");
    expect(status).toBe(200);
    for (const text of ["/review", "reviewer", "summarize", "PreToolUse", "review-index", "review-ls"]) expect(html).toContain(`<code>${text}</code>`);
    expect(html).toContain("Reviews diffs line by line");
    expect(html).toContain("only api.review.test");
    expect(html).toMatch(/Workspace files<\/dt><dd>read/);
    expect(html).toContain("<code>API_TOKEN</code>");
    expect(html).toContain("<code>MAX_FILES</code>");
    expect(html).toContain("<code>git-helpers</code>");
    expect(html).toContain("<code>lint-kit (^2.0.0)</code>");
    expect(html).toContain("agent plugin marketplace add http://registry.test:4873/marketplace.json");
    expect(html).toContain("agent plugin install review-kit@corp-plugins");
    expect(html).toContain('<span aria-current="page">1.1.0</span>');
    expect(html).toContain('href="/plugins/review-kit?version=1.0.0"');
  });

  it("names the plugin by its marketplace entry, as /marketplace.json does", async () => {
    const marketplace = (await (await app.request("/marketplace.json")).json()) as { plugins: { name: string; source: { package: string } }[] };
    const entry = marketplace.plugins.find((p) => p.source.package === "@corp/deploy-kit")!;
    const { status, html } = await page("/plugins/@corp/deploy-kit");
    expect(status).toBe(200);
    expect(html).toContain(`agent plugin install ${entry.name}@corp-plugins`);
  });

  it("serves older versions with a link to the latest", async () => {
    const old = await page("/plugins/review-kit?version=1.0.0");
    expect(old.html).toContain("Version 1.0.0");
    expect(old.html).toContain('latest is <a href="/plugins/review-kit">1.1.0</a>');
  });

  it("answers unknown plugins and versions with an HTML 404", async () => {
    const missing = await page("/plugins/no-such-plugin");
    expect(missing.status).toBe(404);
    expect(missing.type).toContain("text/html");
    expect(missing.html).toContain("No plugin named no-such-plugin is published here.");
    expect((await page("/plugins/review-kit?version=9.9.9")).status).toBe(404);
  });

  it("escapes what authors wrote", async () => {
    await publish({ ...richPluginFiles("xss-kit", "1.0.0"), "commands/x.md": '---\ndescription: "<img src=x onerror=alert(1)>"\n---\nx\n' });
    const { html } = await page("/plugins/xss-kit");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
  });

  it("leaves the tarballs of a package called plugins to the npm routes", async () => {
    await publish(richPluginFiles("plugins", "1.0.0"));
    const res = await app.request("/plugins/-/plugins-1.0.0.tgz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).not.toContain("text/html");
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });
});

describe("web catalog in private mode", () => {
  it("answers pages without a token with a 401 HTML page that shows no plugin", async () => {
    for (const path of ["/", "/?q=review", "/plugins/review-kit"]) {
      const { status, html, type, res } = await page(path, privateApp);
      expect(status).toBe(401);
      expect(type).toContain("text/html");
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(html).toContain("This registry is private");
      expect(html).not.toContain("review-kit");
    }
  });

  it("shows the pages to a read token", async () => {
    const home = await page("/", privateApp, { authorization: `Bearer ${readToken}` });
    expect(home.status).toBe(200);
    expect(home.html).toContain("review-kit");
    const plugin = await page("/plugins/review-kit", privateApp, { authorization: `Bearer ${readToken}` });
    expect(plugin.status).toBe(200);
    expect(plugin.html).toContain("<code>review-index</code>");
  });

  it("refuses a wrong token before rendering anything", async () => {
    const { status, html } = await page("/", privateApp, { authorization: "Bearer agr_wrong" });
    expect(status).toBe(401);
    expect(html).not.toContain("review-kit");
  });
});
