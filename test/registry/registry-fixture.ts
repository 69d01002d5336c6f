import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startRegistryServer, type StartOptions } from "../../registry/server/start-server.js";
import { openFsStorage } from "../../registry/server/storage/fs-storage.js";
import { writeTree, type FileTree } from "../support/git-server.js";
import { requireTool } from "../support/real-parts.js";

const run = promisify(execFile);

export interface TestRegistry {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  dataDir: string;
  adminToken: string;
  /** raw fetch against the registry with an optional bearer token */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** the real npm CLI with its own userconfig and cache, authenticated with `token` when given */
  npm(args: string[], options?: { token?: string; cwd?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** mints a token for user with scope through the same code path as `agent registry token create` */
  token(user: string, scope: "read" | "publish" | "admin"): Promise<string>;
  close(): Promise<void>;
}

const temps: string[] = [];
export function tempDir(prefix = "agent-registry-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The real registry server on 127.0.0.1:0 over a fresh data dir (or a given one). */
export async function startTestRegistry(options: Partial<Omit<StartOptions, "storage">> & { dataDir?: string } = {}): Promise<TestRegistry> {
  requireTool("npm");
  const dataDir = options.dataDir ?? tempDir("agent-registry-data-");
  const adminToken = options.adminToken ?? `agr_test_admin_${createHash("sha256").update(dataDir).digest("hex").slice(0, 24)}`;
  const storage = await openFsStorage(dataDir);
  const running = await startRegistryServer({ ...options, storage, port: 0, host: "127.0.0.1", adminToken });
  const work = tempDir("agent-registry-npm-");
  const { ensureUser } = await import("../../registry/server/auth/ensure-user.js");
  const { mintToken } = await import("../../registry/server/auth/token.js");
  return {
    url: running.url,
    dataDir,
    adminToken,
    request: (path, init = {}) => {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set("authorization", `Bearer ${token}`);
      return fetch(`${running.url}${path}`, { ...rest, headers, signal: AbortSignal.timeout(30_000) });
    },
    async npm(args, { token, cwd } = {}) {
      const rc = join(work, `npmrc-${createHash("sha1").update(token ?? "anon").digest("hex").slice(0, 8)}`);
      writeFileSync(rc, `registry=${running.url}/\n${token ? `//127.0.0.1:${running.port}/:_authToken=${token}\n` : ""}`);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
      try {
        const r = await run("npm", ["--userconfig", rc, "--cache", join(work, "cache"), "--registry", `${running.url}/`, ...args], { cwd: cwd ?? work, env, timeout: 120_000 });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    },
    async token(user, scope) {
      await ensureUser(storage, user);
      return (await mintToken(storage, user, scope)).token;
    },
    close: () => running.close(),
  };
}

/** A Claude Code plugin as an npm package: package.json, .claude-plugin/plugin.json and one command. */
export function pluginFiles(packageName: string, version: string, pluginName = packageName.split("/").pop()!, description = `${pluginName} greets`): FileTree {
  return {
    "package.json": JSON.stringify({ name: packageName, version, description, keywords: ["greeting"], license: "MIT" }),
    ".claude-plugin/plugin.json": JSON.stringify({ name: pluginName, version, description }),
    "commands/hello.md": "---\ndescription: Says hello\n---\nSay hello to $ARGUMENTS\n",
  };
}

export function writePlugin(packageName: string, version: string, pluginName?: string): string {
  const dir = tempDir("agent-registry-plugin-");
  writeTree(dir, pluginFiles(packageName, version, pluginName));
  return dir;
}

/** `npm pack` of a directory: the tarball bytes. */
export async function pack(dir: string): Promise<Buffer> {
  const out = tempDir("agent-registry-pack-");
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", out], { cwd: dir, env: { PATH: process.env.PATH, HOME: out } });
  const [info] = JSON.parse(stdout) as { filename: string }[];
  return readFileSync(join(out, info!.filename));
}

/** The body `npm publish` sends for one version. */
export function publishBody(name: string, version: string, tarball: Buffer, overrides: { integrity?: string; shasum?: string; length?: number } = {}): Record<string, unknown> {
  const integrity = overrides.integrity ?? `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
  const shasum = overrides.shasum ?? createHash("sha1").update(tarball).digest("hex");
  const file = `${name}-${version}.tgz`;
  return {
    _id: name,
    name,
    "dist-tags": { latest: version },
    versions: { [version]: { name, version, description: "test", dist: { integrity, shasum, tarball: `http://x/${name}/-/${file}` } } },
    _attachments: { [file]: { content_type: "application/octet-stream", data: tarball.toString("base64"), length: overrides.length ?? tarball.length } },
  };
}

export function putJson(body: unknown, token?: string): RequestInit & { token?: string } {
  return { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...(token ? { token } : {}) };
}
