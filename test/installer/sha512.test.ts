import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSha512, Sha512 } from "../../registry/files/sha512.js";

const root = join(import.meta.dirname, "../..");

describe("Sha512 (registry/files/sha512.ts)", () => {
  it("holds the WebAssembly module scripts/sha512-wasm.mjs builds", () => {
    const built = execFileSync(process.execPath, [join(root, "scripts/sha512-wasm.mjs")], { encoding: "utf8" }).trim();
    expect(readFileSync(join(root, "registry/files/sha512.ts"), "utf8")).toContain(`const moduleText = "${built}";`);
  });

  it("equals node:crypto's sha512 for any bytes fed in any pieces", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 40 })), { maxLength: 8 }), (pieces) => {
        const ours = new Sha512();
        const theirs = createHash("sha512");
        for (const piece of pieces) {
          ours.update(piece);
          theirs.update(piece);
        }
        expect(ours.digest("base64")).toBe(theirs.digest("base64"));
      }),
      { numRuns: 2000 },
    );
  });

  it("equals it at every length around the block and padding boundaries, and past one run of the module", () => {
    const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) & 0xff));
    for (const length of [...Array.from({ length: 300 }, (_, i) => i), 63_487, 63_488, 63_489, 126_976, 200_000]) {
      const bytes = data.subarray(0, length);
      expect(new Sha512().update(bytes).digest("hex"), `length ${length}`).toBe(createHash("sha512").update(bytes).digest("hex"));
    }
  });

  it("is node:crypto's own where asked for (and where WebAssembly is missing: node --jitless)", async () => {
    expect(await createSha512()).toBeInstanceOf(Sha512);
    const native = await createSha512({ native: true });
    expect(native).not.toBeInstanceOf(Sha512);
    native.update("abc");
    expect(native.digest("hex")).toBe(new Sha512().update("abc").digest("hex"));
    const jitless = execFileSync(process.execPath, ["--jitless", "--input-type=module", "-e", `const { createSha512 } = await import(${JSON.stringify(join(root, "dist/registry/files/sha512.js"))}); const h = await createSha512(); h.update("abc"); console.log(h.digest("hex"));`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }); // (V8 warns that --jitless turns WebAssembly off)
    expect(jitless.trim()).toBe(createHash("sha512").update("abc").digest("hex"));
  });

  it("keeps concurrent hashes apart", () => {
    const a = new Sha512();
    const b = new Sha512();
    for (let i = 0; i < 50; i++) {
      a.update(Buffer.alloc(333, i));
      b.update(`line ${i}\n`);
    }
    const expectedA = createHash("sha512");
    const expectedB = createHash("sha512");
    for (let i = 0; i < 50; i++) {
      expectedA.update(Buffer.alloc(333, i));
      expectedB.update(`line ${i}\n`);
    }
    expect(a.digest("hex")).toBe(expectedA.digest("hex"));
    expect(b.digest("hex")).toBe(expectedB.digest("hex"));
  });
});
