import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bwrapArgs, type BwrapPlan } from "../../host/sandbox/bwrap-args.js";
import { defaultPath, pluginPath } from "../../host/sandbox/plugin-process-spec.js";
import { hiddenNodeProblem, nodeInstallDir, resolveSandboxPaths } from "../../host/sandbox/resolve-sandbox-paths.js";

const plan: BwrapPlan = {
  command: "node",
  args: ["server.js", "--stdio"],
  cwd: "/srv/data/p",
  env: { PATH: "/usr/bin:/bin", HOME: "/srv/data/p", CLAUDE_PLUGIN_OPTION_TOKEN: "t" },
  pluginRoot: "/srv/cache/p/1.0.0",
  dataDir: "/srv/data/p",
  hidden: ["/home", "/root", "/run", "/tmp", "/var/tmp"],
  shareNet: false,
  seccompFd: 3,
};
/** the values following each occurrence of a flag */
const after = (a: string[], flag: string, n = 1) => a.flatMap((x, i) => (x === flag ? [a.slice(i + 1, i + 1 + n)] : []));
const sandboxPart = (a: string[]) => a.slice(0, a.indexOf("--"));

describe("bubblewrap argument list", () => {
  const a = bwrapArgs(plan);
  const head = sandboxPart(a);

  it("unshares every namespace including the user namespace, and shares none back", () => {
    expect(head).toContain("--unshare-all");
    expect(head).toContain("--unshare-user");
    expect(head).not.toContain("--share-net");
  });

  it("drops all capabilities, dies with the host, starts a new session and clears the environment", () => {
    expect(after(head, "--cap-drop")).toEqual([["ALL"]]);
    expect(head).not.toContain("--cap-add");
    for (const flag of ["--die-with-parent", "--new-session", "--clearenv"]) expect(head).toContain(flag);
  });

  it("mounts / read-only with a fresh /dev and /proc", () => {
    expect(after(head, "--ro-bind", 2)[0]).toEqual(["/", "/"]);
    expect(after(head, "--dev")).toEqual([["/dev"]]);
    expect(after(head, "--proc")).toEqual([["/proc"]]);
    expect(head).not.toContain("--dev-bind");
  });

  it("covers /home, /root, /tmp, /run and /var/tmp with tmpfs before any bind into them", () => {
    expect(after(head, "--tmpfs").map(([p]) => p)).toEqual(expect.arrayContaining(["/home", "/root", "/tmp", "/run", "/var/tmp"]));
    const lastTmpfs = head.lastIndexOf("--tmpfs");
    const firstPluginBind = head.findIndex((x, i) => (x === "--bind" || x === "--ro-bind") && head[i + 1] !== "/");
    expect(firstPluginBind).toBeGreaterThan(lastTmpfs);
  });

  it("binds the plugin root read-only and the data dir read-write, the data dir last", () => {
    expect(after(head, "--ro-bind", 2)).toContainEqual([plan.pluginRoot, plan.pluginRoot]);
    expect(after(head, "--bind", 2)).toEqual([[plan.dataDir, plan.dataDir]]);
    expect(head.lastIndexOf("--bind")).toBeGreaterThan(head.lastIndexOf("--ro-bind"));
  });

  it("mounts the workspace read-only, read-write, or hides it, as declared", () => {
    const ws = "/work/proj";
    const read = sandboxPart(bwrapArgs({ ...plan, workspace: { path: ws, access: "read" } }));
    expect(after(read, "--ro-bind", 2)).toContainEqual([ws, ws]);
    expect(after(read, "--bind", 2)).not.toContainEqual([ws, ws]);
    const write = sandboxPart(bwrapArgs({ ...plan, workspace: { path: ws, access: "write" } }));
    expect(after(write, "--bind", 2)).toContainEqual([ws, ws]);
    const none = sandboxPart(bwrapArgs({ ...plan, workspace: { path: ws, access: "none" } }));
    expect(after(none, "--tmpfs")).toContainEqual([ws]);
    expect(none.filter((x) => x === ws)).toHaveLength(1);
    // a plugin root inside a writable workspace stays read-only: its bind comes after the workspace's
    const nested = sandboxPart(bwrapArgs({ ...plan, pluginRoot: `${ws}/plugins/p`, workspace: { path: ws, access: "write" } }));
    expect(nested.lastIndexOf(`${ws}/plugins/p`)).toBeGreaterThan(nested.lastIndexOf(ws));
  });

  it("passes the seccomp program on the given fd, and sets only the given environment after --clearenv", () => {
    expect(after(head, "--seccomp")).toEqual([["3"]]);
    const setenv = after(head, "--setenv", 2);
    expect(setenv).toEqual([["PATH", "/usr/bin:/bin"], ["HOME", "/srv/data/p"], ["CLAUDE_PLUGIN_OPTION_TOKEN", "t"]]);
    expect(head.indexOf("--setenv")).toBeGreaterThan(head.indexOf("--clearenv"));
    expect(after(head, "--chdir")).toEqual([["/srv/data/p"]]);
  });

  it("ends its options with -- and runs the command as an argv array (no shell string)", () => {
    expect(a.slice(a.indexOf("--") + 1)).toEqual(["node", "server.js", "--stdio"]);
  });

  it("mounts the host's node install back read-only after the tmpfs that hides it", () => {
    const nvm = "/root/.nvm/versions/node/v20.20.2";
    const h = sandboxPart(bwrapArgs({ ...plan, readOnly: [nvm] }));
    expect(after(h, "--ro-bind", 2)).toContainEqual([nvm, nvm]);
    expect(h.indexOf(nvm)).toBeGreaterThan(h.lastIndexOf("--tmpfs"));
  });

  it("shares the network only for network full", () => {
    expect(sandboxPart(bwrapArgs({ ...plan, shareNet: true }))).toContain("--share-net");
  });

  it("allowlist level: reports the sandbox pid on --info-fd and waits on --block-fd", () => {
    const h = sandboxPart(bwrapArgs({ ...plan, infoFd: 4, blockFd: 5 }));
    expect(after(h, "--info-fd")).toEqual([["4"]]);
    expect(after(h, "--block-fd")).toEqual([["5"]]);
  });

  it("without a pids cgroup, sets RLIMIT_NPROC inside the sandbox before exec'ing the command", () => {
    const r = bwrapArgs({ ...plan, nprocLimit: 64 });
    const cmd = r.slice(r.indexOf("--") + 1);
    expect(cmd.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(cmd[2]).toContain("ulimit -u 64");
    expect(cmd.slice(-3)).toEqual(["node", "server.js", "--stdio"]);
  });
});

describe("sandbox paths", () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "agent-sbx-paths-")));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("resolves symlinks, creates the data dir and hides homes, temp dirs, XDG_RUNTIME_DIR and the extras, outermost only", () => {
    mkdirSync(join(dir, "root"));
    symlinkSync(join(dir, "root"), join(dir, "link"));
    mkdirSync(join(dir, "run-user"));
    mkdirSync(join(dir, "agent-home"));
    const paths = resolveSandboxPaths(
      { command: "true", env: {}, pluginRoot: join(dir, "link"), dataDir: join(dir, "data"), sandbox: "auto", hiddenPaths: [join(dir, "agent-home"), "relative/ignored", "/"] },
      { XDG_RUNTIME_DIR: join(dir, "run-user") },
    );
    expect(paths.pluginRoot).toBe(join(dir, "root"));
    expect(paths.dataDir).toBe(join(dir, "data"));
    expect(paths.cwd).toBe(join(dir, "data"));
    expect(paths.hidden).toEqual(expect.arrayContaining(["/root", "/tmp", "/run"]));
    expect(paths.hidden).not.toContain("/");
    expect(paths.hidden).not.toContain("relative/ignored");
    // dir is under /tmp, so its children are covered by /tmp already
    if (dir.startsWith("/tmp/")) expect(paths.hidden.some((p) => p.startsWith(dir))).toBe(false);
  });

  it("refuses a working directory the sandbox cannot see", () => {
    expect(() =>
      resolveSandboxPaths({ command: "true", env: {}, pluginRoot: dir, dataDir: join(dir, "data2"), cwd: "/etc", sandbox: "auto" }, {}),
    ).toThrow(/not visible in the sandbox/);
  });
});

describe("the host's node inside the sandbox", () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "agent-node-dir-")));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const node = (rel: string) => {
    const path = join(dir, rel);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "");
    return path;
  };

  it("is on PATH first unless its dir is a system dir already", () => {
    expect(pluginPath("/usr/bin/node")).toBe(defaultPath);
    expect(pluginPath("/home/ann/.nvm/versions/node/v20.20.2/bin/node")).toBe(`/home/ann/.nvm/versions/node/v20.20.2/bin:${defaultPath}`);
  });

  it("an nvm-style install under a hidden dir is mounted back; a system node needs nothing", () => {
    expect(nodeInstallDir(node("home/.nvm/versions/node/v20.20.2/bin/node"), [dir])).toBe(join(dir, "home/.nvm/versions/node/v20.20.2"));
    expect(nodeInstallDir(realpathSync(process.execPath).startsWith("/usr/") ? process.execPath : "/usr/bin/node", ["/home", "/root", "/tmp"])).toBeUndefined();
  });

  it("never mounts back a hidden dir itself, a dir right below it, or one holding another hidden path", () => {
    expect(nodeInstallDir(node("bin/node"), [dir])).toBeUndefined(); // prefix would be the hidden dir
    expect(nodeInstallDir(node("ann/bin/node"), [dir])).toBeUndefined(); // prefix would be a whole home
    const prefix = join(dir, "opt/.volta/tools/node");
    expect(nodeInstallDir(node("opt/.volta/tools/node/bin/node"), [dir, join(prefix, "agent-home")])).toBeUndefined();
  });

  it("says so (for agent doctor) when the host's node stays hidden", () => {
    expect(hiddenNodeProblem(node("ann2/bin/node"), [dir])).toMatch(/lives in .* which the sandbox hides/);
    expect(hiddenNodeProblem(node("home2/.nvm/versions/node/v20.20.2/bin/node"), [dir])).toBeUndefined();
    expect(hiddenNodeProblem(node("elsewhere/bin/node"), [join(dir, "other")])).toBeUndefined();
  });
});
