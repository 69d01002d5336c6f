// Where the benchmarks that measure real Claude Code find it: CLAUDE_BIN, else `claude` on PATH, else
// the copy installed in /tmp/peers/claude (npm install @anthropic-ai/claude-code there).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const installedPeer = "/tmp/peers/claude/node_modules/.bin/claude";

/** The `claude` executable, or undefined when none is at hand. */
export function findClaude() {
  if (process.env.CLAUDE_BIN) return process.env.CLAUDE_BIN;
  const which = spawnSync("sh", ["-c", "command -v claude"], { encoding: "utf8" });
  if (which.status === 0) return which.stdout.trim();
  return existsSync(installedPeer) ? installedPeer : undefined;
}
