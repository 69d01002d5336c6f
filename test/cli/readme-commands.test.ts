import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCommandSpecs } from "../../cli/commands/index.js";

/** README documents every command, each with an example, and every flag a command takes. */
describe("README", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const sections = readme.split(/^### /m).slice(1);

  it("has a section with an example for every command, naming each of its flags", async () => {
    const missing: string[] = [];
    for (const spec of await loadCommandSpecs()) {
      const name = `agent ${spec.path.join(" ")}`;
      const section = sections.find((s) => s.startsWith(`\`${name} `) || s.startsWith(`\`${name}\``));
      if (!section) {
        missing.push(`${name}: no "### \`${name} …\`" section`);
        continue;
      }
      if (!section.includes("```")) missing.push(`${name}: no example`);
      for (const option of spec.options ?? []) {
        const long = /--[\w-]+/.exec(option.flags)![0];
        if (!section.includes(long)) missing.push(`${name}: flag ${long} is not documented`);
      }
      if (spec.json && !section.includes("--json")) missing.push(`${name}: --json is not documented`);
    }
    expect(missing).toEqual([]);
  });
});
