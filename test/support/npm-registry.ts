import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { writeTree, type FileTree } from "./git-server.js";
import { requireTool } from "./real-parts.js";

/**
 * A minimal npm registry on 127.0.0.1 speaking the real read protocol (packuments and tarballs) for
 * packages made by real `npm pack`, so real pacote/npm install from it. Stands in until the project's
 * own registry (registry/server) can be started from tests.
 *
 *   const npm = await startNpmRegistry();
 *   await npm.publish({ "package.json": JSON.stringify({ name: "p", version: "1.0.0" }), … });
 *   npm.url  // → http://127.0.0.1:PORT/
 */
export interface NpmRegistry {
  url: string;
  /** packs the tree with `npm pack` and serves it; returns the tarball's integrity */
  publish(files: FileTree): Promise<{ name: string; version: string; integrity: string }>;
  /** serves arbitrary bytes as the tarball of name@version (for broken-tarball tests) */
  publishRaw(name: string, version: string, tarball: Buffer): void;
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

interface Version {
  manifest: Record<string, unknown>;
  tarball: Buffer;
  integrity: string;
  shasum: string;
}

export async function startNpmRegistry(options: { token?: string } = {}): Promise<NpmRegistry> {
  requireTool("npm");
  const packages = new Map<string, Map<string, Version>>();
  const requests: NpmRegistry["requests"] = [];
  const work = mkdtempSync(join(tmpdir(), "agent-npm-registry-"));
  let base = "";
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? "/", authorization: req.headers.authorization });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" }).end('{"error":"unauthorized"}');
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const tarball = /^(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tarball) {
      const version = packages.get(tarball[1]!)?.get(tarball[2]!);
      if (!version) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": version.tarball.length }).end(version.tarball);
      return;
    }
    const versions = packages.get(path);
    if (!versions) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    const latest = [...versions.keys()].at(-1)!;
    const packument = {
      name: path,
      "dist-tags": { latest },
      versions: Object.fromEntries([...versions].map(([v, entry]) => [v, { ...entry.manifest, dist: { tarball: tarballUrl(base, path, v), integrity: entry.integrity, shasum: entry.shasum } }])),
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const add = (manifest: Record<string, unknown>, tarball: Buffer) => {
    const name = String(manifest.name);
    const integrity = "sha512-" + createHash("sha512").update(tarball).digest("base64");
    const shasum = createHash("sha1").update(tarball).digest("hex");
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(String(manifest.version), { manifest, tarball, integrity, shasum });
    return { name, version: String(manifest.version), integrity };
  };

  return {
    url: base,
    requests,
    async publish(files) {
      const { manifest, tarball } = await npmPack(mkdtempSync(join(work, "pkg-")), files);
      return add(manifest, tarball);
    },
    publishRaw(name, version, tarball) {
      add({ name, version }, tarball);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(() => rmSync(work, { recursive: true, force: true })),
  };
}

function tarballUrl(base: string, name: string, version: string): string {
  const file = `${name.split("/").at(-1)}-${version}.tgz`;
  return `${base}${name}/-/${file}`;
}

/** Writes `files` into `dir` and packs it with real `npm pack`; the .tgz is read and removed again. */
export async function npmPack(dir: string, files: FileTree): Promise<{ manifest: Record<string, unknown>; tarball: Buffer }> {
  writeTree(dir, files);
  const { stdout } = await promisify(execFile)("npm", ["pack", "--json", "--pack-destination", dir, "--ignore-scripts"], {
    cwd: dir,
    env: { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false" },
  });
  const [info] = JSON.parse(stdout) as { filename: string }[];
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
  const tarball = readFileSync(join(dir, info!.filename));
  rmSync(join(dir, info!.filename));
  return { manifest, tarball };
}
