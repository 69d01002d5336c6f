import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requireTool } from "../support/real-parts.js";
import { agentProcess, builtCli } from "../support/run-agent.js";
import { makeMarketplace, registerMarketplaces, tempHome } from "./support/make-marketplace.js";
import { readJson } from "./support/state-hash.js";

/** The built CLI on a real pseudo-terminal (util-linux `script`), answering each prompt as it appears. */
function onTerminal(args: string[], env: Record<string, string>, answers: [RegExp, string][] = []): Promise<{ status: number | null; output: string }> {
  const script = requireTool("script");
  return new Promise((resolve, reject) => {
    const child = spawn(script, ["-qec", [process.execPath, builtCli, ...args].join(" "), "/dev/null"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "xterm", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let next = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      while (next < answers.length && answers[next]![0].test(output)) child.stdin.write(`${answers[next++]![1]}\r`);
    });
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status, output });
    });
  });
}

let home: string;
const env = () => ({ AGENT_HOME: home, AGENT_SECRET_STORE: "file" });

beforeAll(() => {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
});

beforeEach(() => {
  home = tempHome();
  const userConfig = {
    retries: { type: "number", title: "Retries", description: "how often", min: 0, max: 5 },
    api_token: { type: "string", title: "API token", description: "secret", sensitive: true },
  };
  const market = makeMarketplace("mkt-tty", [
    { name: "cfg", version: "1.0.0", manifest: { userConfig } },
    { name: "app", version: "1.0.0", dependencies: ["lib1", "lib2"] },
    { name: "lib1", version: "1.0.0" },
    { name: "lib2", version: "1.0.0" },
  ]);
  registerMarketplaces(home, { "mkt-tty": market });
});

describe("on a terminal", () => {
  it("asks for unset userConfig options, without echoing the sensitive one, and stores the answers", async () => {
    const r = await onTerminal(["plugin", "install", "cfg@mkt-tty"], env(), [
      [/Retries — how often \(Enter to skip\): /, "3"],
      [/API token — secret \(Enter to skip\): /, "tok-typed-in"],
    ]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("Successfully installed plugin: cfg@mkt-tty");
    expect(r.output).not.toContain("tok-typed-in");
    expect(readJson(join(home, "settings.json")).pluginConfigs["cfg@mkt-tty"]).toEqual({ options: { retries: 3 } });
    expect(readJson(join(home, ".credentials.json")).pluginSecrets["cfg@mkt-tty"]).toEqual({ api_token: "tok-typed-in" });
  });

  it("rejects a typed answer of the wrong type before anything is written", async () => {
    const r = await onTerminal(["plugin", "install", "cfg@mkt-tty"], env(), [[/Retries/, "many"]]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("E_CONFIG");
    expect(existsSync(join(home, "plugins/installed_plugins.json"))).toBe(false);
  });

  it("shows a self-rewriting fetch progress line that is cleared before the summary", async () => {
    const r = await onTerminal(["plugin", "install", "app@mkt-tty"], env());
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("Fetching plugins 3/3");
    const cleared = r.output.lastIndexOf("\r\x1b[2K");
    expect(cleared).toBeGreaterThan(r.output.lastIndexOf("Fetching plugins"));
    expect(r.output.slice(cleared)).toContain("Successfully installed plugin: app@mkt-tty");
  });

  it("--json on a terminal prints only the JSON result: no progress, no prompts", async () => {
    const r = await onTerminal(["plugin", "install", "app@mkt-tty", "--json"], env());
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toContain("Fetching");
    expect(JSON.parse(r.output.replace(/\r/g, "")).requested).toEqual(["app@mkt-tty"]);
  });

  it("off a terminal there is no progress line and no prompt: unset options are named in a warning", async () => {
    const r = await agentProcess(["plugin", "install", "cfg@mkt-tty"], { env: env() });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toContain("Fetching");
    expect(r.stderr + r.stdout).not.toContain("Enter to skip");
    expect(r.stdout).toContain("2 userConfig options of cfg@mkt-tty not yet set");
  });
});
