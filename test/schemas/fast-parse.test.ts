import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { safeParseFast } from "../../schemas/fast-parse.js";
import { agentFrontmatterSchema, outputStyleFrontmatterSchema, skillFrontmatterSchema } from "../../schemas/frontmatter.js";
import { hooksFileSchema, hooksMapSchema } from "../../schemas/hooks.js";
import { lspFileSchema } from "../../schemas/lsp.js";
import { marketplaceSchema } from "../../schemas/marketplace.js";
import { mcpFileSchema, mcpServersMapSchema } from "../../schemas/mcp.js";
import { monitorsFieldSchema, pluginManifestFieldsSchema, pluginManifestSchema } from "../../schemas/plugin-manifest.js";

/** The same result as zod's safeParse, key order included (JSON.stringify tells the order apart). */
function expectSameAsZod(schema: z.ZodType, value: unknown): void {
  const fast = safeParseFast(schema, value);
  const slow = schema.safeParse(value);
  expect(fast.success).toBe(slow.success);
  if (!fast.success || !slow.success) return;
  expect(isDeepStrictEqual(fast.data, slow.data)).toBe(true);
  expect(JSON.stringify(fast.data)).toBe(JSON.stringify(slow.data));
}

const text = fc.oneof(fc.constantFrom("", "x", "Bash", "Read|Write", "(", "[a-", "*", "bash", "powershell", "stdio", "http", "command", "worktree", "user"), fc.string({ maxLength: 8 }));
const scalar = fc.oneof(text, fc.boolean(), fc.integer({ min: -3, max: 5 }), fc.double(), fc.constant(null), fc.constant(undefined));
const list = fc.array(fc.oneof(text, scalar), { maxLength: 3 });
/** Objects as JSON.parse makes them (never with a null prototype: no file can produce one). */
function objectOf(keys: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.constantFrom("__proto__", "zz", "1", "constructor"), fc.string({ maxLength: 4 })), value, { maxKeys: 6, noNullPrototype: true });
}

const frontmatterKeys = ["name", "description", "tools", "argument-hint", "arguments", "allowed-tools", "model", "shell", "hooks", "maxTurns", "memory", "isolation", "background", "keep-coding-instructions", "disable-model-invocation"];
const frontmatter = objectOf(frontmatterKeys, fc.oneof(scalar, list));
const handler = objectOf(["type", "command", "args", "shell", "async", "timeout", "if", "url", "prompt", "once"], fc.oneof(scalar, list));
const group = objectOf(["matcher", "hooks"], fc.oneof(text, fc.array(handler, { maxLength: 2 }), scalar));
const hooksMap = objectOf(["PreToolUse", "Stop", "preToolUse", "SessionStart"], fc.oneof(fc.array(group, { maxLength: 2 }), scalar));
const server = objectOf(["type", "command", "args", "env", "timeout", "url", "headers", "alwaysLoad", "name", "oauth"], fc.oneof(scalar, list, objectOf(["A", "B"], scalar)));
const servers = objectOf(["a", "b", ""], fc.oneof(server, scalar));
const monitor = objectOf(["name", "command", "description", "when"], scalar);

describe("safeParseFast", () => {
  it("returns zod's data for the common plugin files, with zod's key order and defaults", () => {
    expectSameAsZod(hooksFileSchema, { hooks: { PreToolUse: [{ hooks: [{ command: "x", extra: 1, type: "command" }], matcher: "Bash" }] }, zz: true });
    expectSameAsZod(mcpFileSchema, { mcpServers: { s: { env: { A: "1" }, command: "node", q: [1] } } });
    expectSameAsZod(agentFrontmatterSchema, { zz: 1, tools: ["Read"], description: "d", name: "n" });
    const data = safeParseFast(mcpFileSchema, { mcpServers: { s: { command: "node" } } });
    expect(data.success && Object.keys(data.data.mcpServers.s!)).toEqual(["command", "args"]);
  });

  it("leaves failures to zod, issues included", () => {
    for (const [schema, value] of [[hooksFileSchema, { hooks: { preToolUse: [] } }], [mcpFileSchema, { mcpServers: { a: { type: "http" } } }], [skillFrontmatterSchema, { name: 3 }], [hooksMapSchema, { Stop: [{ matcher: "(", hooks: [] }] }]] as const) {
      const fast = safeParseFast(schema as z.ZodType, value);
      expect(fast.success).toBe(false);
      expect(fast.error?.issues).toEqual((schema as z.ZodType).safeParse(value).error?.issues);
    }
  });

  it("parses a manifest without channels by its fields alone, exactly as the whole manifest schema", () => {
    const pathLike = fc.constantFrom("./skills", "./a.md", "skills", "../x", "./hooks.json", "./m.mcpb", "https://x/y.mcpb", "");
    const value = fc.oneof(scalar, pathLike, fc.constantFrom("my-plugin", "1.0.0", "v1", "https://example.com", "plugin-4@^1.0.0", "a@m"), fc.array(fc.oneof(pathLike, text, objectOf(["name", "version", "marketplace", "email", "url"], fc.oneof(text, pathLike))), { maxLength: 3 }), objectOf(["name", "email", "url"], text), hooksMap, servers);
    const likelyValid = fc.record(
      {
        name: fc.constantFrom("my-plugin", "p"),
        version: fc.constantFrom("1.0.0", "2.1.3-beta.1"),
        description: text,
        author: fc.record({ name: fc.constantFrom("a", "b"), email: fc.constantFrom("a@b.c") }, { noNullPrototype: true, requiredKeys: ["name"] }),
        dependencies: fc.array(fc.oneof(fc.constantFrom("plugin-4", "x@m", "y@^1.0.0"), fc.record({ name: fc.constantFrom("z"), version: fc.constantFrom("^1.0.0") }, { noNullPrototype: true, requiredKeys: ["name"] })), { maxLength: 3 }),
        skills: fc.oneof(fc.constantFrom("./skills"), fc.array(fc.constantFrom("./a", "./b/c"), { maxLength: 2 })),
        hooks: fc.oneof(fc.constantFrom("./hooks.json"), fc.constant({ PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "x" }] }] })),
        mcpServers: fc.oneof(fc.constantFrom("./m.json"), fc.constant({ s: { command: "node", args: ["a"] } })),
        keywords: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
        zz: scalar,
      },
      { noNullPrototype: true, requiredKeys: ["name"] },
    );
    const manifest = objectOf(["name", "version", "description", "author", "dependencies", "skills", "commands", "agents", "hooks", "mcpServers", "keywords", "homepage", "license", "repository", "userConfig"], value);
    fc.assert(
      fc.property(fc.oneof(manifest, fc.anything(), likelyValid), (raw) => {
        if (typeof raw === "object" && raw !== null && Object.hasOwn(raw, "channels")) return;
        const fast = safeParseFast(pluginManifestFieldsSchema, raw);
        const whole = pluginManifestSchema.safeParse(raw);
        expect(fast.success).toBe(whole.success);
        if (fast.success && whole.success) expect(JSON.stringify(fast.data)).toBe(JSON.stringify(whole.data));
        else expect(fast.error?.issues).toEqual(whole.error?.issues);
      }),
      { numRuns: 3000 },
    );
    expectSameAsZod(pluginManifestSchema, { name: "x", channels: [{ server: "nope" }] });
  });

  it("agrees with zod on random marketplaces", () => {
    const source = fc.oneof(
      fc.constantFrom("./plugins/a", "./", "plugins/a", "../x", "./a/../b"),
      fc.record({ source: fc.constantFrom("github", "url", "git-subdir", "npm", "pip"), repo: fc.constantFrom("o/r", "bad"), url: fc.constantFrom("https://g/x.git", "nope"), ref: fc.constantFrom("main"), sha: fc.constantFrom("0123456789012345678901234567890123456789", "12"), package: fc.constantFrom("p", "@s/p"), path: fc.constantFrom("a", "../b") }, { noNullPrototype: true, requiredKeys: ["source"] }),
      scalar,
    );
    const entry = fc.oneof(
      fc.record({ name: fc.constantFrom("a", "b c", "plugin-1", ""), source, description: text, version: fc.constantFrom("1.0.0", "x"), strict: fc.boolean(), category: text, tags: fc.array(text, { maxLength: 2 }), dependencies: fc.array(fc.constantFrom("a", "b@m", "c@^1.0.0"), { maxLength: 2 }), author: fc.record({ name: text }, { noNullPrototype: true }), homepage: fc.constantFrom("https://x.y", "nope"), skills: fc.constantFrom("./s", "s"), zz: scalar }, { noNullPrototype: true, requiredKeys: ["name", "source"] }),
      scalar,
    );
    const market = fc.record({ name: fc.constantFrom("m", "claude-plugins-official", "bad name"), owner: fc.oneof(fc.record({ name: text, email: text }, { noNullPrototype: true, requiredKeys: ["name"] }), scalar), plugins: fc.array(entry, { maxLength: 4 }), metadata: fc.record({ description: text, version: text }, { noNullPrototype: true }), description: text, allowCrossMarketplaceDependenciesOn: fc.array(text, { maxLength: 2 }), renames: fc.dictionary(text, fc.oneof(text, fc.constant(null)), { maxKeys: 2, noNullPrototype: true }), zz: scalar }, { noNullPrototype: true, requiredKeys: ["name", "owner", "plugins"] });
    const validEntry = fc.record({ name: fc.constantFrom("a", "plugin-1"), source: fc.oneof(fc.constantFrom("./plugins/a", "./"), fc.constant({ source: "github", repo: "o/r" })), description: text, version: fc.constantFrom("1.0.0"), strict: fc.boolean(), tags: fc.array(text, { maxLength: 2 }), dependencies: fc.array(fc.constantFrom("a", "b@m"), { maxLength: 2 }), author: fc.record({ name: text }, { noNullPrototype: true }), zz: scalar }, { noNullPrototype: true, requiredKeys: ["name", "source"] });
    const validMarket = fc.record({ name: fc.constantFrom("m", "my-market"), owner: fc.record({ name: text }, { noNullPrototype: true }), plugins: fc.array(validEntry, { maxLength: 4 }), metadata: fc.record({ description: text }, { noNullPrototype: true }), zz: scalar }, { noNullPrototype: true, requiredKeys: ["name", "owner", "plugins"] });
    fc.assert(fc.property(fc.oneof(market, validMarket, fc.anything()), (value) => expectSameAsZod(marketplaceSchema, value)), { numRuns: 3000 });
  });

  it("agrees with zod on random values", () => {
    const cases: [z.ZodType, fc.Arbitrary<unknown>][] = [
      [skillFrontmatterSchema, frontmatter],
      [agentFrontmatterSchema, frontmatter],
      [outputStyleFrontmatterSchema, frontmatter],
      [hooksFileSchema, objectOf(["hooks", "description"], fc.oneof(hooksMap, scalar))],
      [hooksMapSchema, hooksMap],
      [mcpFileSchema, objectOf(["mcpServers"], fc.oneof(servers, scalar))],
      [mcpServersMapSchema, servers],
      [lspFileSchema, objectOf(["go", ""], fc.oneof(objectOf(["command", "extensionToLanguage", "args", "transport"], fc.oneof(scalar, list, objectOf([".go"], scalar))), scalar))],
      [monitorsFieldSchema, fc.oneof(text, fc.array(monitor, { maxLength: 3 }))],
      [pluginManifestSchema, objectOf(["name", "version", "description", "skills", "commands", "hooks"], fc.oneof(scalar, list))],
    ];
    for (const [schema, arbitrary] of cases) fc.assert(fc.property(fc.oneof(arbitrary, fc.anything()), (value) => expectSameAsZod(schema, value)), { numRuns: 1500 });
  });
});
