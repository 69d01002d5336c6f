import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseMarketplaceArg } from "../../installer/marketplaces/parse-marketplace-arg.js";
import { removeTempDirs, tempDir } from "../sources/fixtures.js";

afterAll(removeTempDirs);

const cwd = tempDir("agent-parse-");
mkdirSync(join(cwd, "mkt", ".claude-plugin"), { recursive: true });
writeFileSync(join(cwd, "catalog.json"), "{}");
writeFileSync(join(cwd, "notes.txt"), "");
const env = { HOME: cwd };

describe("marketplace add <source> is parsed like Claude Code (reference §4.2)", () => {
  const accepted: [string, unknown][] = [
    ["acme/tools", { source: "github", repo: "acme/tools" }],
    ["acme/tools@v2", { source: "github", repo: "acme/tools", ref: "v2" }],
    ["acme/tools#release/1.x", { source: "github", repo: "acme/tools", ref: "release/1.x" }],
    ["https://git.example.com/team/plugins.git", { source: "git", url: "https://git.example.com/team/plugins.git" }],
    ["https://git.example.com/team/plugins.git#v2", { source: "git", url: "https://git.example.com/team/plugins.git", ref: "v2" }],
    ["https://dev.azure.com/org/proj/_git/plugins", { source: "git", url: "https://dev.azure.com/org/proj/_git/plugins" }],
    ["https://github.com/acme/tools", { source: "git", url: "https://github.com/acme/tools.git" }],
    ["https://github.com/acme/tools#dev", { source: "git", url: "https://github.com/acme/tools.git", ref: "dev" }],
    ["http://127.0.0.1:8765/mkt-g.git", { source: "git", url: "http://127.0.0.1:8765/mkt-g.git" }],
    ["git@git.example.com:team/plugins.git", { source: "git", url: "git@git.example.com:team/plugins.git" }],
    ["git@git.example.com:team/plugins.git#main", { source: "git", url: "git@git.example.com:team/plugins.git", ref: "main" }],
    ["ssh://git@git.example.com/team/plugins.git", { source: "git", url: "ssh://git@git.example.com/team/plugins.git" }],
    ["file:///srv/git/plugins.git", { source: "git", url: "file:///srv/git/plugins.git" }],
    ["https://plugins.example.com/marketplace.json", { source: "url", url: "https://plugins.example.com/marketplace.json" }],
    ["https://github.com/acme/tools/raw/main/m.json", { source: "url", url: "https://github.com/acme/tools/raw/main/m.json" }],
    ["./mkt", { source: "directory", path: join(cwd, "mkt") }],
    ["./catalog.json", { source: "file", path: join(cwd, "catalog.json") }],
    [cwd, { source: "directory", path: cwd }],
    ["~/catalog.json", { source: "file", path: join(cwd, "catalog.json") }],
    ["npm:@corp/catalog", { source: "npm", package: "@corp/catalog" }],
    ["npm:catalog@^2.0.0", { source: "npm", package: "catalog", version: "^2.0.0" }],
  ];
  for (const [arg, source] of accepted) {
    it(`${arg} → ${JSON.stringify(source)}`, async () => {
      expect(await parseMarketplaceArg(arg, cwd, env)).toEqual(source);
    });
  }

  const rejected: [string, string, string][] = [
    ["acme/tools/extra", "E_USAGE", "is not a valid GitHub owner/repo shorthand"],
    ["just-a-name", "E_USAGE", "Invalid marketplace source format. Try: owner/repo, https://..., or ./path"],
    ["@scope/pkg", "E_USAGE", "Invalid marketplace source format"],
    ["./missing", "E_NOT_FOUND", `Path does not exist: ${join(cwd, "missing")}`],
    ["./notes.txt", "E_USAGE", "File path must point to a .json file"],
    ["npm:Not A Name", "E_USAGE", "is not an npm package name"],
  ];
  for (const [arg, code, message] of rejected) {
    it(`${arg} is refused with ${code}`, async () => {
      const error = await parseMarketplaceArg(arg, cwd, env).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, message: expect.stringContaining(message) });
    });
  }
});

describe("credentials in a marketplace URL", () => {
  it("are refused, redacted, so they never reach settings or known_marketplaces.json", async () => {
    const error = await parseMarketplaceArg("https://bob:s3cr3t-tok@git.example.com/team/plugins.git", cwd, env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_USAGE", hint: expect.stringContaining("credential helper") });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain("s3cr3t-tok");
  });
});
