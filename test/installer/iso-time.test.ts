import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTime } from "../../installer/state/iso-time.js";

describe("isoTime", () => {
  it("is toISOString", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_198_755_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    for (const ms of [0, -1, 1, 946_684_799_999, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_001]) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    expect(isoTime()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
