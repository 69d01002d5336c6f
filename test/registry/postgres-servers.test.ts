import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRegistryServer, type RunningRegistry } from "../../registry/server/start-server.js";
import { openPostgresStorage } from "../../registry/server/storage/postgres-storage.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { requireTool } from "../support/real-parts.js";
import { writeTree } from "../support/git-server.js";
import { richPluginFiles } from "./web-fixture.js";

const run = promisify(execFile);
const adminToken = "agent-test-admin-token-0123456789abcdef";
const dirs: string[] = [];
let cluster: PostgresCluster;
let a: RunningRegistry;
let b: RunningRegistry;

/** Two registry servers, each with its own connection pool, on one PostgreSQL database: what a load balancer fronts. */
beforeAll(async () => {
  requireTool("npm");
  cluster = await startPostgres();
  a = await startRegistryServer({ storage: await openPostgresStorage(cluster.url), port: 0, adminToken });
  b = await startRegistryServer({ storage: await openPostgresStorage(cluster.url), port: 0, adminToken });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cluster?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A private npm userconfig and cache: the test never reads or writes the user's npm settings. */
function npmEnv(registry: RunningRegistry): NodeJS.ProcessEnv {
  const home = temp("agent-npm-home-");
  const host = registry.url.replace(/^http:/, "");
  writeFileSync(join(home, ".npmrc"), `registry=${registry.url}/\n${host}/:_authToken=${adminToken}\n`);
  return {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_userconfig: join(home, ".npmrc"),
    npm_config_cache: join(home, "cache"),
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_loglevel: "error",
  };
}

async function npm(args: string[], cwd: string, registry: RunningRegistry): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npm", [...args, "--registry", `${registry.url}/`], { cwd, env: npmEnv(registry), timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function pluginDir(files: Record<string, string>): string {
  const dir = temp("agent-pg-plugin-");
  writeTree(dir, files);
  return dir;
}

it("lets exactly one of two concurrent `npm publish` of one version win across two servers on one database", async () => {
  const first = pluginDir({ ...richPluginFiles("race-kit", "1.0.0"), "README.md": "first\n" });
  const second = pluginDir({ ...richPluginFiles("race-kit", "1.0.0"), "README.md": "second\n" });
  const results = await Promise.all([npm(["publish", "--ignore-scripts"], first, a), npm(["publish", "--ignore-scripts"], second, b)]);
  expect(results.map((r) => r.code === 0).sort()).toEqual([false, true]);
  const loser = results.find((r) => r.code !== 0)!;
  expect(loser.stderr).toMatch(/409|already published|immutable/i);
  const fromA = (await (await fetch(`${a.url}/race-kit`)).json()) as { versions: Record<string, { dist: { integrity: string } }> };
  const fromB = (await (await fetch(`${b.url}/race-kit`)).json()) as typeof fromA;
  expect(Object.keys(fromA.versions)).toEqual(["1.0.0"]);
  expect(fromB.versions["1.0.0"]!.dist.integrity).toBe(fromA.versions["1.0.0"]!.dist.integrity);
});

it("installs with real `npm install` through server B a plugin published through server A", async () => {
  const published = await npm(["publish", "--ignore-scripts"], pluginDir(richPluginFiles("@corp/shared-kit", "2.1.0")), a);
  expect(published.code, published.stderr).toBe(0);
  const project = temp("agent-npm-project-");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const installed = await npm(["install", "@corp/shared-kit@2.1.0", "--ignore-scripts", "--no-package-lock"], project, b);
  expect(installed.code, installed.stderr).toBe(0);
  const manifest = JSON.parse(readFileSync(join(project, "node_modules/@corp/shared-kit/.claude-plugin/plugin.json"), "utf8")) as { name: string };
  expect(manifest.name).toBe("shared-kit");
  expect(existsSync(join(project, "node_modules/@corp/shared-kit/skills/summarize/SKILL.md"))).toBe(true);
});

it("shows a plugin published through server A on server B's catalog page", async () => {
  const published = await npm(["publish", "--ignore-scripts"], pluginDir(richPluginFiles("catalog-kit", "0.2.0")), a);
  expect(published.code, published.stderr).toBe(0);
  const res = await fetch(`${b.url}/plugins/catalog-kit`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain("<code>review-index</code>");
  expect(html).toContain(`agent plugin marketplace add ${b.url}/marketplace.json`);
  expect(html).toContain("agent plugin install catalog-kit@agent-registry");
});
