import { execFile, spawn } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { requireTool } from "./real-parts.js";

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 for tests: real `initdb` + `pg_ctl` on a temp dir, a
 * unix socket inside that dir, a random free port, one database made for the caller.
 *
 *   const pg = await startPostgres();
 *   pg.url            // → postgres://postgres@127.0.0.1:PORT/agent_test
 *   await pg.createDatabase("other")  // → URL of a fresh, empty database
 *   await pg.stop();
 *
 * initdb and postgres refuse to run as root, so under root the cluster runs as `nobody` (the temp dir
 * is chowned to it). A missing PostgreSQL fails the test with the install command; it never skips.
 */
export interface PostgresCluster {
  url: string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(options: { database?: string } = {}): Promise<PostgresCluster> {
  const initdb = requireTool("initdb");
  const pgCtl = requireTool("pg_ctl");
  const dir = mkdtempSync(join(tmpdir(), "agent-pg-"));
  const data = join(dir, "data");
  const socketDir = join(dir, "socket");
  mkdirSync(socketDir);
  const asUser = await unprivilegedRunner(dir, socketDir);
  const port = await freePort();
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let started = false;

  const stopArgs = asUser(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"]);
  let watchdog: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    watchdog?.kill();
    if (started) await run(...stopArgs).catch(() => undefined);
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run(...asUser(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]), { timeout: 60_000 });
    const serverOptions = `-k ${socketDir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
    await run(...asUser(pgCtl, ["start", "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", serverOptions]), { timeout: 90_000 }).catch((error) => {
      throw new Error(`pg_ctl start failed: ${String(error)}\n${readLog(dir)}`);
    });
    started = true;
    watchdog = stopWhenGone(process.pid, stopArgs, dir);
    const createDatabase = async (name: string) => {
      const admin = new pg.Client({ connectionString: urlFor("postgres") });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return urlFor(name);
    };
    const url = await createDatabase(options.database ?? "agent_test");
    return { url, createDatabase, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Runner = (file: string, args: string[]) => [string, string[]];

/** Root: run as `nobody` with the temp dir handed to it. Anyone else: run directly. */
async function unprivilegedRunner(dir: string, socketDir: string): Promise<Runner> {
  if (process.getuid?.() !== 0) return (file, args) => [file, args];
  const runuser = requireTool("runuser");
  const uid = Number((await run("id", ["-u", "nobody"])).stdout.trim());
  const gid = Number((await run("id", ["-g", "nobody"])).stdout.trim());
  chownSync(dir, uid, gid);
  chownSync(socketDir, uid, gid);
  return (file, args) => [runuser, ["-u", "nobody", "--", file, ...args]];
}

/**
 * A detached shell that stops the cluster and removes its dir once the test process is gone, however
 * it ended (vitest may kill its workers; a crash or SIGKILL skips every exit hook).
 */
function stopWhenGone(pid: number, [file, args]: [string, string[]], dir: string) {
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  const script = `while kill -0 ${pid} 2>/dev/null; do sleep 1; done; ${[file, ...args].map(quote).join(" ")} >/dev/null 2>&1; rm -rf ${quote(dir)}`;
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "server.log"), "utf8").slice(-2000);
  } catch {
    return "";
  }
}
