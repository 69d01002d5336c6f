import { AgentError } from "../../schemas/errors.js";

const rules: { pattern: RegExp; make: (command: string, stderr: string) => AgentError }[] = [
  {
    pattern: /Remote branch .* not found|couldn't find remote ref|not our ref|did not match any|unknown revision|bad revision|invalid reference/i,
    make: (command, stderr) =>
      new AgentError("E_REF_NOT_FOUND", `The requested ref does not exist in the repository: ${gitReason(stderr)}`, {
        hint: "Check the branch, tag or sha; `git ls-remote <url>` lists what the repository has.",
        details: { command, stderr },
      }),
  },
  {
    pattern: /Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied \(publickey|returned error: 40[13]|HTTP Basic: Access denied/i,
    make: (command, stderr) =>
      new AgentError("E_AUTH", `The git server refused the credentials: ${gitReason(stderr)}`, {
        hint: "Configure a git credential helper, or set GITHUB_TOKEN/GH_TOKEN for GitHub sources.",
        details: { command, stderr },
      }),
  },
  {
    pattern: /Could not resolve host|Connection refused|Failed to connect|Connection timed out|Network is unreachable|Couldn't connect|No route to host/i,
    make: (command, stderr) =>
      new AgentError("E_NETWORK", `Could not reach the git server: ${gitReason(stderr)}`, {
        hint: "Check the URL and your network connection.",
        details: { command, stderr },
      }),
  },
  {
    pattern: /not a git repository|does not appear to be a git repository|Repository not found|repository '[^']*' not found|returned error: 404|not found: did you run git update-server-info|does not exist/i,
    make: (command, stderr) =>
      new AgentError("E_GIT", `Not a git repository: ${gitReason(stderr)}`, {
        hint: "Check the repository URL; it must point at a git repository (smart HTTP, ssh or file://).",
        details: { command, stderr },
      }),
  },
];

/** Turns git's stderr into an AgentError with a stable code; the stderr (already redacted) is the evidence. */
export function gitErrorFor(command: string, stderr: string): AgentError {
  for (const rule of rules) if (rule.pattern.test(stderr)) return rule.make(command, stderr);
  return new AgentError("E_GIT", `${command} failed: ${gitReason(stderr) || "no output"}`, { details: { command, stderr } });
}

/** git's own reason: its first `fatal:`/`error:` line (later lines are boilerplate), else the last line. */
function gitReason(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("hint:"));
  const reason = lines.find((l) => /^(fatal|error):/.test(l));
  return (reason ?? lines.at(-1) ?? "").replace(/^(fatal|error):\s*/, "");
}
