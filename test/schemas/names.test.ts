import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impersonatesOfficialMarketplace, reservedMarketplaceNames } from "../../schemas/names.js";

/** The rule as a regular expression, which impersonatesOfficialMarketplace spells out. */
const pattern = /(?:official[^a-z0-9]*(anthropic|claude)|(?:anthropic|claude)[^a-z0-9]*official|^(?:anthropic|claude)[^a-z0-9]*(marketplace|plugins|official))/i;
const oracle = (name: string) => !(reservedMarketplaceNames as readonly string[]).includes(name.toLowerCase()) && (/[^\x20-\x7e]/.test(name) || pattern.test(name));

describe("impersonatesOfficialMarketplace", () => {
  it("decides as the regular expression of the rule does", () => {
    const piece = fc.constantFrom("official", "Official", "anthropic", "ANTHROPIC", "claude", "Claude", "marketplace", "plugins", "PLUGINS", "-", "_", " ", ".", "--", "x", "1", "mkt", "offic", "claud", "é", "\t", "agent-skills");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const name = pieces.join("");
        expect(impersonatesOfficialMarketplace(name), JSON.stringify(name)).toBe(oracle(name));
      }),
      { numRuns: 5000 },
    );
  });

  it("flags the usual impostors and passes ordinary and reserved names", () => {
    for (const name of ["official-claude-plugins", "claude-marketplace", "Anthropic_Official", "claude plugins", "my-official--anthropic-tools"]) expect(impersonatesOfficialMarketplace(name), name).toBe(true);
    for (const name of ["bench-mkt", "agent-builtin", "my-claude-tools", "claude-for-legal", "anthropic-agent-skills"]) expect(impersonatesOfficialMarketplace(name), name).toBe(false);
  });
});
