import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { requireTool } from "./real-parts.js";

/**
 * A real smart-HTTP git server on 127.0.0.1 (random port): a small node http server in front of
 * `git http-backend`, serving the bare repositories under `root`. Shallow clones, partial clones
 * (filters) and protocol v2 work as against a real forge.
 *
 *   const git = await startGitServer();
 *   const repo = createBareRepo(git.root, "mkt", { ".claude-plugin/marketplace.json": "…" }, { tags: ["v1"] });
 *   git.url("mkt")  // → http://127.0.0.1:PORT/mkt.git
 *   await git.close();
 */
export interface GitServer {
  /** directory holding <name>.git bare repositories */
  root: string;
  port: number;
  /** http://127.0.0.1:PORT/<name>.git */
  url(name: string): string;
  /** every request seen: method, path (with query) and the Authorization header */
  requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** when set, every request must carry HTTP basic auth whose password is this token (401 otherwise) */
  token?: string;
}

export const gitIdentityEnv = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  requireTool("git");
  const backend = execFileSync("git", ["--exec-path"], { encoding: "utf8" }).trim() + "/git-http-backend";
  const root = mkdtempSync(join(tmpdir(), "agent-git-server-"));
  const requests: GitServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/", authorization: req.headers.authorization });
    if (options.token && !authorized(req, options.token)) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end("authentication required\n");
      return;
    }
    serveCgi(backend, root, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    root,
    port,
    url: (name) => `http://127.0.0.1:${port}/${name}.git`,
    requests,
    close: () => closeServer(server).then(() => rmSync(root, { recursive: true, force: true })),
  };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Bearer ")) return header.slice(7) === token;
  if (!header.startsWith("Basic ")) return false;
  const [, password] = Buffer.from(header.slice(6), "base64").toString("utf8").split(/:(.*)/s);
  return password === token;
}

function serveCgi(backend: string, root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const child = spawn(backend, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      // what a forge allows: partial clones and fetching any reachable commit by sha
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "uploadpack.allowFilter",
      GIT_CONFIG_VALUE_0: "true",
      GIT_CONFIG_KEY_1: "uploadpack.allowReachableSHA1InWant",
      GIT_CONFIG_VALUE_1: "true",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
      REMOTE_USER: req.headers.authorization ? "user" : "",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {});
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  child.on("close", () => {
    if (!headersSent) res.statusCode = 500;
    res.end();
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Runs git with a fixed identity and no user/system config; returns trimmed stdout. */
export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...gitIdentityEnv }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export type FileTree = Record<string, string>;

export function writeTree(dir: string, files: FileTree): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * A working repository with one commit per tree in `commits` (files are added/overwritten; a value of
 * "" still writes an empty file). Returns the path and the commit SHAs in order.
 */
export function createWorkRepo(dir: string, commits: FileTree[], options: { branch?: string } = {}): { dir: string; commits: string[] } {
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q", "-b", options.branch ?? "main"]);
  const shas: string[] = [];
  commits.forEach((files, i) => {
    writeTree(dir, files);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "--allow-empty", "-m", `commit ${i + 1}`]);
    shas.push(git(dir, ["rev-parse", "HEAD"]));
  });
  return { dir, commits: shas };
}

/** Creates an annotated tag (`git tag -a`) at `rev` in a working or bare repository. */
export function tagAnnotated(repoDir: string, tag: string, rev = "HEAD"): void {
  git(repoDir, ["tag", "-a", tag, "-m", `release ${tag}`, rev]);
}

export interface BareRepo {
  /** the bare repository (<root>/<name>.git) */
  bare: string;
  /** the working repository it was pushed from: commit more there, then call push() */
  work: string;
  commits: string[];
  /** commits everything in `files` on the work repo and pushes branches and tags; returns the new SHA */
  commit(files: FileTree, options?: { tag?: string }): string;
}

/**
 * Creates `<root>/<name>.git` with one commit per tree in `commits` on `main`, annotated tags at the
 * given commit indexes (`{ "p--v1.0.0": 0 }`), and extra branches (`{ dev: 1 }`).
 */
export function createBareRepo(
  root: string,
  name: string,
  commits: FileTree[],
  options: { tags?: Record<string, number>; branches?: Record<string, number> } = {},
): BareRepo {
  // inside root, so the server's close() removes it with the bare repositories
  const work = mkdtempSync(join(root, `.work-${name.replace(/\W/g, "-")}-`));
  const { commits: shas } = createWorkRepo(work, commits);
  for (const [tag, index] of Object.entries(options.tags ?? {})) tagAnnotated(work, tag, shas[index]);
  for (const [branch, index] of Object.entries(options.branches ?? {})) git(work, ["branch", branch, shas[index]!]);
  const bare = join(root, `${name}.git`);
  mkdirSync(dirname(bare), { recursive: true });
  git(root, ["init", "-q", "--bare", "-b", "main", bare]);
  const push = () => git(work, ["push", "-q", "--force", "--all", bare]) + git(work, ["push", "-q", "--force", "--tags", bare]);
  push();
  return {
    bare,
    work,
    commits: shas,
    commit(files, commitOptions = {}) {
      writeTree(work, files);
      git(work, ["add", "-A"]);
      git(work, ["commit", "-q", "--allow-empty", "-m", `commit ${shas.length + 1}`]);
      const sha = git(work, ["rev-parse", "HEAD"]);
      shas.push(sha);
      if (commitOptions.tag) tagAnnotated(work, commitOptions.tag);
      push();
      return sha;
    },
  };
}
