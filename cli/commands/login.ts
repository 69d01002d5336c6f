import type { CommandSpec } from "../command-spec.js";
import type { LoginResult } from "../../installer/author/login.js";

export const command: CommandSpec<LoginResult> = {
  path: ["login"],
  description: "log in to a plugin registry and keep its token in the OS keychain (or a 0600 file)",
  options: [
    { flags: "--registry <url>", description: "registry to log in to (default: registry= from ~/.npmrc)" },
    { flags: "--token <token>", description: "use this token instead of a user name and password" },
    { flags: "--username <name>", description: "user name (prompted on a terminal; without one the password is read from stdin)" },
  ],
  json: true,
  examples: ["agent login --registry http://127.0.0.1:4873/", "agent login --registry https://plugins.corp.example/ --token \"$TOKEN\"", "echo \"$PASSWORD\" | agent login --registry <url> --username ci"],
  async run(ctx) {
    const [{ resolveHome, statePaths }, { chooseRegistry }, { loginToRegistry }, { readCredentials }] = await Promise.all([
      import("../../installer/state-paths.js"),
      import("../../installer/author/registry-credentials.js"),
      import("../../installer/author/login.js"),
      import("../../installer/author/read-credentials.js"),
    ]);
    const o = ctx.options as { registry?: string; token?: string; username?: string };
    const registry = chooseRegistry(o.registry, ctx.env);
    const { terminalPrompter } = await import("../../installer/config/prompter.js");
    const credentials = await readCredentials({ token: o.token, username: o.username, prompt: ctx.interactive ? terminalPrompter(ctx.stdin, ctx.stderr) : undefined, stdin: ctx.stdin });
    const home = resolveHome({ ...(ctx.global.home ? { home: ctx.global.home } : {}), ...(ctx.global.claudeHome ? { claudeHome: ctx.global.claudeHome } : {}), env: ctx.env });
    const result = await loginToRegistry(registry, credentials, { secretsFile: statePaths(home, ctx.env).secretsFile, env: ctx.env, warn: ctx.log });
    return {
      data: result,
      text: (s) => `${s.ok} Logged in to ${result.registry}${result.user ? ` as ${result.user}` : ""} (token kept in the ${result.store === "keychain" ? "OS keychain" : "0600 secrets file"})`,
    };
  },
};
