import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import type { Storage } from "../../registry/server/storage/storage.js";
import { mountWeb } from "../../registry/server/web/mount-web.js";
import { packPlugin, publishInputOf, richPluginFiles } from "./web-fixture.js";

let storage: Storage;
let app: Hono;
const dirs: string[] = [];

beforeAll(async () => {
  const data = mkdtempSync(join(tmpdir(), "agent-web-data-"));
  dirs.push(data);
  storage = await openFsStorage(data);
  for (const [name, version] of [["review-kit", "1.0.0"], ["review-kit", "1.1.0"], ["@corp/deploy-kit", "0.3.0"]] as const) {
    const packed = await packPlugin(richPluginFiles(name, version));
    dirs.push(packed.dir);
    await storage.publishVersion(publishInputOf(packed));
  }
  app = new Hono();
  mountWeb(app as never, { storage, baseUrl: "http://registry.test:4873" });
});

afterAll(async () => {
  await storage?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function page(path: string): Promise<{ status: number; html: string; type: string }> {
  const res = await app.request(path);
  return { status: res.status, html: await res.text(), type: res.headers.get("content-type") ?? "" };
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
    expect(html).toContain("agent plugin install review-kit@agent-registry");
    expect(html).toContain('<span aria-current="page">1.1.0</span>');
    expect(html).toContain('href="/plugins/review-kit?version=1.0.0"');
  });

  it("serves scoped plugins and older versions", async () => {
    const scoped = await page("/plugins/@corp/deploy-kit");
    expect(scoped.status).toBe(200);
    expect(scoped.html).toContain("agent plugin install deploy-kit@agent-registry");
    const old = await page("/plugins/review-kit?version=1.0.0");
    expect(old.html).toContain("Version 1.0.0");
    expect(old.html).toContain("latest is <a");
  });

  it("answers unknown plugins and versions with an HTML 404", async () => {
    const missing = await page("/plugins/no-such-plugin");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("No plugin named no-such-plugin is published here.");
    expect((await page("/plugins/review-kit?version=9.9.9")).status).toBe(404);
  });

  it("escapes what authors wrote", async () => {
    const packed = await packPlugin({ ...richPluginFiles("xss-kit", "1.0.0"), "commands/x.md": '---\ndescription: "<img src=x onerror=alert(1)>"\n---\nx\n' });
    dirs.push(packed.dir);
    await storage.publishVersion(publishInputOf(packed));
    const { html } = await page("/plugins/xss-kit");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
  });
});
