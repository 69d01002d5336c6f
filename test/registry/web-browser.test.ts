import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import type { Storage } from "../../registry/server/storage/storage.js";
import { startRegistryServer, type RunningRegistry } from "../../registry/server/start-server.js";
import { requireTool } from "../support/real-parts.js";
import { npmPublishBody, packPlugin, richPluginFiles } from "./web-fixture.js";

const artifacts = join(process.cwd(), "test-artifacts", "web-catalog");
const dirs: string[] = [];
let storage: Storage;
let server: RunningRegistry;
const adminToken = "agent-test-admin-token-web-browser";
let base = "";
let browser: BrowserContext;

beforeAll(async () => {
  const executablePath = requireTool("chromium");
  const data = mkdtempSync(join(tmpdir(), "agent-web-data-"));
  dirs.push(data);
  storage = await openFsStorage(data);
  server = await startRegistryServer({ storage, port: 0, adminToken, marketplaceName: "corp-plugins" });
  base = server.url;
  for (const [name, version] of [["review-kit", "1.2.0"], ["@corp/deploy-kit", "0.3.0"], ["notes", "2.0.0"]] as const) {
    const packed = await packPlugin(richPluginFiles(name, version));
    dirs.push(packed.dir);
    const { path, body } = npmPublishBody(packed);
    const res = await fetch(`${base}${path}`, { method: "PUT", body, headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` } });
    expect(res.status, await res.text()).toBe(201);
  }
  const profile = mkdtempSync(join(tmpdir(), "agent-chromium-"));
  dirs.push(profile);
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    javaScriptEnabled: false,
    timeout: 60_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it("finds a plugin through the search form in Chromium with JavaScript off and shows its components, permissions and install command", async () => {
  const page = await browser.newPage();
  await page.route("**/*", (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
  page.setDefaultTimeout(20_000);
  await page.goto(`${base}/`);
  expect(await page.title()).toBe("Plugin registry");
  expect(await page.getByRole("link", { name: "review-kit" }).count()).toBe(1);
  await page.screenshot({ path: join(artifacts, "home.png"), fullPage: true });

  await page.getByRole("searchbox", { name: "Search plugins" }).fill("deploy");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\?q=deploy/);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Plugins matching “deploy”");
  expect(await page.getByRole("link", { name: "review-kit" }).count()).toBe(0);
  await page.getByRole("link", { name: "@corp/deploy-kit" }).click();

  await page.waitForURL(/\/plugins\/@corp\/deploy-kit$/);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("@corp/deploy-kit");
  const components = page.getByRole("region", { name: "Components" });
  for (const heading of ["Commands", "Agents", "Skills", "Hooks", "MCP servers", "LSP servers"]) {
    expect(await components.getByRole("heading", { level: 3, name: new RegExp(`^${heading}`) }).count()).toBe(1);
  }
  expect(await components.innerText()).toContain("/review");
  const permissions = await page.getByRole("region", { name: "Permissions" }).innerText();
  expect(permissions).toContain("only api.review.test");
  expect(permissions).toContain("API_TOKEN");
  expect(await page.getByRole("region", { name: "Configuration" }).innerText()).toContain("MAX_FILES");
  const install = await page.getByRole("region", { name: "Install" }).innerText();
  expect(install).toContain(`agent plugin marketplace add ${base}/marketplace.json`);
  expect(install).toContain("agent plugin install deploy-kit@corp-plugins");
  expect(await page.locator("main").count()).toBe(1);
  expect(await page.locator("script").count()).toBe(0);

  const shot = join(artifacts, "plugin-page.png");
  await page.screenshot({ path: shot, fullPage: true });
  expect(statSync(shot).size).toBeGreaterThan(10_000);
  await page.close();
});
