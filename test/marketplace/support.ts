import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hashTree } from "../installer/support/state-hash.js";
import { tempDir } from "../sources/fixtures.js";
import { agent, type AgentRun } from "../support/run-agent.js";

/** A fresh agent home, HOME and project dir, and a git without user/system config: one CLI user. */
export interface CliUser {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): Promise<AgentRun>;
  /** plugins/known_marketplaces.json */
  known(): Record<string, any>;
  /** a hash of the whole state dir */
  hash(): string;
}

export function cliUser(extraEnv: NodeJS.ProcessEnv = {}): CliUser {
  const home = tempDir("agent-home-");
  const cwd = tempDir("agent-project-");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tempDir("agent-user-"),
    AGENT_HOME: home,
    AGENT_MANAGED_SETTINGS: join(home, "managed-settings.json"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    ...extraEnv,
  };
  return {
    home,
    cwd,
    env,
    run: (...args) => agent(args, { env, cwd }),
    known: () => JSON.parse(readFileSync(join(home, "plugins", "known_marketplaces.json"), "utf8")),
    hash: () => hashTree(home),
  };
}

/** Every path and file content under `dir` as one string, for "the token is nowhere on disk" checks. */
export function treeText(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const info = lstatSync(p);
      parts.push(p);
      if (info.isDirectory()) walk(p);
      else if (info.isFile()) parts.push(readFileSync(p).toString("latin1"));
    }
  };
  walk(dir);
  return parts.join("\n");
}
