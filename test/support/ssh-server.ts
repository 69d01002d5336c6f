import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { requireTool } from "./real-parts.js";

/**
 * A real OpenSSH server on 127.0.0.1 (a free port), accepting one generated client key for the
 * current user, so git's ssh transport runs end to end: `git clone ssh://<user>@127.0.0.1:<port>/<dir>/x.git`.
 * Clients pass `sshEnv` (GIT_SSH_COMMAND with the key, no host-key prompt) — the way a user's own ssh
 * config reaches agent's git.
 *
 *   const ssh = await startSshServer();
 *   ssh.url("/abs/path/mkt.git")   // → ssh://root@127.0.0.1:PORT/abs/path/mkt.git
 *   await ssh.close();
 */
export interface SshServer {
  port: number;
  url(absolutePath: string): string;
  /** env for git: GIT_SSH_COMMAND with the accepted key */
  sshEnv: Record<string, string>;
  /** the same, with a key the server does not accept */
  wrongKeyEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startSshServer(): Promise<SshServer> {
  const sshd = requireTool("sshd");
  requireTool("ssh");
  const keygen = requireTool("ssh-keygen");
  const dir = mkdtempSync(join(tmpdir(), "agent-sshd-"));
  chmodSync(dir, 0o700);
  for (const name of ["host", "client", "stranger"]) execFileSync(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", join(dir, name)]);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client.pub")), { mode: 0o600 });
  // sshd refuses to start without its privilege separation dir (root only creates it; a service install would)
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "StrictModes no",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "AllowTcpForwarding no",
      "X11Forwarding no",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const child = spawn(sshd, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  await waitForPort(port, child, () => stderr);
  const user = userInfo().username;
  const sshCommand = (key: string) =>
    `ssh -i ${join(dir, key)} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10`;
  return {
    port,
    url: (absolutePath) => `ssh://${user}@127.0.0.1:${port}${absolutePath}`,
    sshEnv: { GIT_SSH_COMMAND: sshCommand("client") },
    wrongKeyEnv: { GIT_SSH_COMMAND: sshCommand("stranger") },
    async close() {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s: ${stderr()}`);
}
