import { describe, expect, it } from "vitest";
import { agent } from "../support/run-agent.js";

describe("agent plugin schema", () => {
  it("prints the plugin.json JSON Schema generated from the zod schema", async () => {
    const run = await agent(["plugin", "schema", "plugin"]);
    expect(run.status).toBe(0);
    const schema = run.json();
    expect(schema.title).toBe(".claude-plugin/plugin.json");
    expect(schema.required).toContain("name");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["version", "dependencies", "userConfig", "hooks", "mcpServers"]));
  });

  it("prints the marketplace.json schema with every plugin source kind", async () => {
    const schema = (await agent(["plugin", "schema", "marketplace"])).json();
    const text = JSON.stringify(schema);
    for (const kind of ["github", "url", "git-subdir", "npm"]) expect(text).toContain(`"const":"${kind}"`);
  });

  it("rejects an unknown schema name with a usage error", async () => {
    const run = await agent(["plugin", "schema", "nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/E_USAGE.*Unknown schema "nope"/);
  });
});
