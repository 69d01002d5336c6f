import { spawn, type ChildProcess } from "node:child_process";
import { AgentError } from "../../schemas/errors.js";

/**
 * Makes the host proxy reachable as TCP 127.0.0.1:<port> inside a sandbox that has its own network
 * namespace and may not create unix sockets (seccomp). A socat started by the host joins only the
 * sandbox's user and network namespaces (nsenter -U -n): it listens on the sandbox loopback and, still
 * living in the host's mount and PID namespaces, connects to the proxy's unix socket. The plugin can
 * neither see nor signal it (other PID namespace). bwrap waits on --block-fd until it listens.
 */
export interface ProxyBridgeOptions {
  sandboxPid: number;
  proxySocket: string;
  port: number;
  socat: string;
  nsenter: string;
}

export function startProxyBridge(o: ProxyBridgeOptions, timeoutMs = 5000): Promise<ChildProcess> {
  const child = spawn(
    o.nsenter,
    ["-t", String(o.sandboxPid), "-U", "-n", "--preserve-credentials", "--", o.socat, "-d", "-d", `TCP-LISTEN:${o.port},reuseaddr,fork`, `UNIX-CONNECT:${o.proxySocket}`],
    { stdio: ["ignore", "ignore", "pipe"], env: {} },
  );
  return new Promise((resolve, reject) => {
    let stderr = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new AgentError("E_SANDBOX_UNAVAILABLE", `The network allowlist bridge did not start: ${why}`, { hint: "sudo apt-get install -y socat util-linux, or declare network \"none\" or \"full\"" }));
    };
    const timer = setTimeout(() => fail(`no listening socket after ${timeoutMs} ms${stderr ? `: ${stderr.trim().slice(-300)}` : ""}`), timeoutMs);
    const onData = (d: Buffer) => {
      stderr += d.toString();
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        stderr = "";
        child.stderr!.off("data", onData);
        child.stderr!.resume(); // keep draining socat's per-connection notices
        resolve(child);
      }
    };
    child.stderr!.on("data", onData);
    child.on("error", (error) => fail(error.message));
    child.on("exit", (code) => fail(`exit ${code}: ${stderr.trim().slice(-300)}`));
  });
}
