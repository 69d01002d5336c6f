import { execFileSync } from "node:child_process";

/**
 * Tests use real parts (git, bubblewrap, PostgreSQL, Chromium, a Secret Service). `npm test` provisions
 * them first (scripts/provision.sh). A test whose part is missing fails with the command that installs
 * it; it never skips.
 */
const installHint: Record<string, string> = {
  git: "apt-get install -y git",
  bwrap: "apt-get install -y bubblewrap",
  initdb: "apt-get install -y postgresql",
  pg_ctl: "apt-get install -y postgresql",
  chromium: "apt-get install -y chromium",
  "dbus-run-session": "apt-get install -y dbus",
  "gnome-keyring-daemon": "apt-get install -y gnome-keyring",
  "secret-tool": "apt-get install -y libsecret-tools",
  sshd: "apt-get install -y openssh-server",
  ssh: "apt-get install -y openssh-client",
  "ssh-keygen": "apt-get install -y openssh-client",
  openssl: "apt-get install -y openssl",
  npm: "install Node.js with npm",
};

export function toolPath(tool: string): string {
  try {
    return execFileSync("sh", ["-c", `command -v ${tool} || ls /usr/sbin/${tool} /usr/lib/postgresql/*/bin/${tool} 2>/dev/null | tail -n 1`], { encoding: "utf8" })
      .trim()
      .split("\n")[0]!;
  } catch {
    return "";
  }
}

/** Returns the absolute path of a required tool or throws with the exact install command. */
export function requireTool(tool: string): string {
  const path = toolPath(tool);
  if (!path) throw new Error(`this test needs "${tool}", which is not installed: run \`${installHint[tool] ?? `install ${tool}`}\` (or \`npm test\`, which provisions it)`);
  return path;
}
