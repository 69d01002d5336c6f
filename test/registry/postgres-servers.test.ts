import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { requireTool } from "../support/real-parts.js";
import { builtCli } from "../support/run-agent.js";
import { writeTree } from "../support/git-server.js";
import { richPluginFiles } from "./web-fixture.js";

const run = promisify(execFile);
const adminToken = "agent-test-admin-token-0123456789abcdef";
const dirs: string[] = [];
let cluster: PostgresCluster;
let a: RegistryProcess;
let b: RegistryProcess;
const processes: RegistryProcess[] = [];

interface RegistryProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `agent registry serve --database … --port 0` as a real process; resolves once it prints its URL. */
async function serveProcess(databaseUrl: string): Promise<RegistryProcess> {
  const home = temp("agent-registry-home-");
  const child = spawn(process.execPath, [builtCli, "registry", "serve", "--database", databaseUrl, "--port", "0", "--json"], {
    env: { PATH: process.env.PATH, HOME: home, AGENT_HOME: join(home, ".agent"), AGENT_REGISTRY_ADMIN_TOKEN: adminToken, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`registry serve did not start within 30 s: ${stderr}`)), 30_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`registry serve exited with ${code}: ${stderr}`));
    });
  });
  const registry: RegistryProcess = {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
  processes.push(registry);
  return registry;
}

/** Two registry processes on one PostgreSQL database: what a load balancer fronts. Both start at once. */
beforeAll(async () => {
  requireTool("npm");
  cluster = await startPostgres();
  [a, b] = await Promise.all([serveProcess(cluster.url), serveProcess(cluster.url)]);
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await cluster?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A private npm userconfig and cache: the test never reads or writes the user's npm settings. */
function npmEnv(registry: RegistryProcess): NodeJS.ProcessEnv {
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
    npm_config_fetch_retries: "0",
  };
}

async function npm(args: string[], cwd: string, registry: RegistryProcess): Promise<{ code: number; stdout: string; stderr: string }> {
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
  expect(loser.stderr).toMatch(/cannot publish over the previously published versions|409/i);
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

it("leaves no half-published version when a server is killed with SIGKILL inside a publish transaction", async () => {
  const db = new pg.Client({ connectionString: cluster.url });
  const watch = new pg.Client({ connectionString: cluster.url });
  await Promise.all([db.connect(), watch.connect()]);
  for (const client of [db, watch]) client.on("error", () => undefined);
  const backends = async (where: string) =>
    Number((await watch.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%dist_tags%' AND ${where}`)).rows[0].n);
  try {
    const base = await npm(["publish", "--ignore-scripts"], pluginDir(richPluginFiles("crash-kit", "1.0.0")), a);
    expect(base.code, base.stderr).toBe(0);
    const victim = await serveProcess(cluster.url);
    // hold the row the publish must update last, so the server stops inside its transaction
    await db.query("BEGIN");
    await db.query("SELECT 1 FROM dist_tags WHERE name = 'crash-kit' AND tag = 'latest' FOR UPDATE");
    const publishing = npm(["publish", "--ignore-scripts"], pluginDir(richPluginFiles("crash-kit", "1.1.0")), victim);
    const waiting = () => backends("wait_event_type = 'Lock'");
    for (let i = 0; i < 300 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await waiting()).toBe(1);
    victim.child.kill("SIGKILL");
    await new Promise((r) => victim.child.once("exit", r));
    await db.query("COMMIT");
    expect((await publishing).code).not.toBe(0);
    // the killed server's backend wakes up, finds its client gone and rolls back
    for (let i = 0; i < 300 && (await backends("state <> 'idle'")) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const rows = (await db.query("SELECT version FROM versions WHERE name = 'crash-kit' ORDER BY seq")).rows;
    expect(rows).toEqual([{ version: "1.0.0" }]);
    const packument = (await (await fetch(`${b.url}/crash-kit`)).json()) as { versions: Record<string, unknown>; "dist-tags": Record<string, string> };
    expect(Object.keys(packument.versions)).toEqual(["1.0.0"]);
    expect(packument["dist-tags"].latest).toBe("1.0.0");
    const again = await npm(["publish", "--ignore-scripts"], pluginDir(richPluginFiles("crash-kit", "1.1.0")), b);
    expect(again.code, again.stderr).toBe(0);
  } finally {
    await Promise.all([db.end(), watch.end()]);
  }
});
