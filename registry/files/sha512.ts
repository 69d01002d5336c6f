/**
 * SHA-512 (FIPS 180-4) without node:crypto: its compression function is a WebAssembly module of ~5 KB
 * (built by scripts/sha512-wasm.mjs), the padding and the feeding are here. What it is for: a command
 * that hashes a few plugin files (every install of a local plugin records their integrity) would
 * otherwise load node:crypto, and with it Node's stream modules, ~6 ms and ~240 pages of memory before
 * the first byte is hashed; the module compiles in ~1 ms. V8 compiles it with its baseline compiler first
 * (~175 MB/s here) and its optimizing one once a hash runs long (~420 MB/s; OpenSSL: ~900 MB/s).
 * test/installer/sha512.test.ts holds it equal to node:crypto's sha512.
 */
const moduleText = "AGFzbQEAAAABBgFgAn9/AAMJCAAAAAAAAAAABQMBAAEHagkGbWVtb3J5AgAJY29tcHJlc3MwAAAJY29tcHJlc3MxAAEJY29tcHJlc3MyAAIJY29tcHJlc3MzAAMJY29tcHJlc3M0AAQJY29tcHJlc3M1AAUJY29tcHJlc3M2AAYJY29tcHJlc3M3AAcKySMItwQCAX8LfgJAA0AgAUUNAUEAIQIDQCACIAAgAmopAwAhDSANQv+B/Ifwn8D/AINCCIYgDUIIiEL/gfyH8J/A/wCDhCENIA1C//+DgPD/P4NCEIYgDUIQiEL//4OA8P8/g4RCIIk3A4AFIAJBCGoiAkGAAUkNAAsDQCACIAJBcGopA4AFIQ0gDUITiiANQj2KhSANQgaIhSACQUhqKQOABXwgAkGIf2opA4AFIQ0gDUIBiiANQgiKhSANQgeIhXwgAkGAf2opA4AFfDcDgAUgAkEIaiICQYAFSQ0AC0EAKQOACiEDQQApA4gKIQRBACkDkAohBUEAKQOYCiEGQQApA6AKIQdBACkDqAohCEEAKQOwCiEJQQApA7gKIQpBACECA0AgCiAHQg6KIAdCEoqFIAdCKYqFfCAHIAiDIAdCf4UgCYOFfCACKQMAfCACKQOABXwhCyADQhyKIANCIoqFIANCJ4qFIAMgBIMgAyAFg4UgBCAFg4V8IQwgCSEKIAghCSAHIQggBiALfCEHIAUhBiAEIQUgAyEEIAsgDHwhAyACQQhqIgJBgAVJDQALQQBBACkDgAogA3w3A4AKQQBBACkDiAogBHw3A4gKQQBBACkDkAogBXw3A5AKQQBBACkDmAogBnw3A5gKQQBBACkDoAogB3w3A6AKQQBBACkDqAogCHw3A6gKQQBBACkDsAogCXw3A7AKQQBBACkDuAogCnw3A7gKIABBgAFqIQAgAUF/aiEBDAALCwu3BAIBfwt+AkADQCABRQ0BQQAhAgNAIAIgACACaikDACENIA1C/4H8h/CfwP8Ag0IIhiANQgiIQv+B/Ifwn8D/AIOEIQ0gDUL//4OA8P8/g0IQhiANQhCIQv//g4Dw/z+DhEIgiTcDgAUgAkEIaiICQYABSQ0ACwNAIAIgAkFwaikDgAUhDSANQhOKIA1CPYqFIA1CBoiFIAJBSGopA4AFfCACQYh/aikDgAUhDSANQgGKIA1CCIqFIA1CB4iFfCACQYB/aikDgAV8NwOABSACQQhqIgJBgAVJDQALQQApA4AKIQNBACkDiAohBEEAKQOQCiEFQQApA5gKIQZBACkDoAohB0EAKQOoCiEIQQApA7AKIQlBACkDuAohCkEAIQIDQCAKIAdCDoogB0ISioUgB0IpioV8IAcgCIMgB0J/hSAJg4V8IAIpAwB8IAIpA4AFfCELIANCHIogA0IiioUgA0InioUgAyAEgyADIAWDhSAEIAWDhXwhDCAJIQogCCEJIAchCCAGIAt8IQcgBSEGIAQhBSADIQQgCyAMfCEDIAJBCGoiAkGABUkNAAtBAEEAKQOACiADfDcDgApBAEEAKQOICiAEfDcDiApBAEEAKQOQCiAFfDcDkApBAEEAKQOYCiAGfDcDmApBAEEAKQOgCiAHfDcDoApBAEEAKQOoCiAIfDcDqApBAEEAKQOwCiAJfDcDsApBAEEAKQO4CiAKfDcDuAogAEGAAWohACABQX9qIQEMAAsLC7cEAgF/C34CQANAIAFFDQFBACECA0AgAiAAIAJqKQMAIQ0gDUL/gfyH8J/A/wCDQgiGIA1CCIhC/4H8h/CfwP8Ag4QhDSANQv//g4Dw/z+DQhCGIA1CEIhC//+DgPD/P4OEQiCJNwOABSACQQhqIgJBgAFJDQALA0AgAiACQXBqKQOABSENIA1CE4ogDUI9ioUgDUIGiIUgAkFIaikDgAV8IAJBiH9qKQOABSENIA1CAYogDUIIioUgDUIHiIV8IAJBgH9qKQOABXw3A4AFIAJBCGoiAkGABUkNAAtBACkDgAohA0EAKQOICiEEQQApA5AKIQVBACkDmAohBkEAKQOgCiEHQQApA6gKIQhBACkDsAohCUEAKQO4CiEKQQAhAgNAIAogB0IOiiAHQhKKhSAHQimKhXwgByAIgyAHQn+FIAmDhXwgAikDAHwgAikDgAV8IQsgA0IciiADQiKKhSADQieKhSADIASDIAMgBYOFIAQgBYOFfCEMIAkhCiAIIQkgByEIIAYgC3whByAFIQYgBCEFIAMhBCALIAx8IQMgAkEIaiICQYAFSQ0AC0EAQQApA4AKIAN8NwOACkEAQQApA4gKIAR8NwOICkEAQQApA5AKIAV8NwOQCkEAQQApA5gKIAZ8NwOYCkEAQQApA6AKIAd8NwOgCkEAQQApA6gKIAh8NwOoCkEAQQApA7AKIAl8NwOwCkEAQQApA7gKIAp8NwO4CiAAQYABaiEAIAFBf2ohAQwACwsLtwQCAX8LfgJAA0AgAUUNAUEAIQIDQCACIAAgAmopAwAhDSANQv+B/Ifwn8D/AINCCIYgDUIIiEL/gfyH8J/A/wCDhCENIA1C//+DgPD/P4NCEIYgDUIQiEL//4OA8P8/g4RCIIk3A4AFIAJBCGoiAkGAAUkNAAsDQCACIAJBcGopA4AFIQ0gDUITiiANQj2KhSANQgaIhSACQUhqKQOABXwgAkGIf2opA4AFIQ0gDUIBiiANQgiKhSANQgeIhXwgAkGAf2opA4AFfDcDgAUgAkEIaiICQYAFSQ0AC0EAKQOACiEDQQApA4gKIQRBACkDkAohBUEAKQOYCiEGQQApA6AKIQdBACkDqAohCEEAKQOwCiEJQQApA7gKIQpBACECA0AgCiAHQg6KIAdCEoqFIAdCKYqFfCAHIAiDIAdCf4UgCYOFfCACKQMAfCACKQOABXwhCyADQhyKIANCIoqFIANCJ4qFIAMgBIMgAyAFg4UgBCAFg4V8IQwgCSEKIAghCSAHIQggBiALfCEHIAUhBiAEIQUgAyEEIAsgDHwhAyACQQhqIgJBgAVJDQALQQBBACkDgAogA3w3A4AKQQBBACkDiAogBHw3A4gKQQBBACkDkAogBXw3A5AKQQBBACkDmAogBnw3A5gKQQBBACkDoAogB3w3A6AKQQBBACkDqAogCHw3A6gKQQBBACkDsAogCXw3A7AKQQBBACkDuAogCnw3A7gKIABBgAFqIQAgAUF/aiEBDAALCwu3BAIBfwt+AkADQCABRQ0BQQAhAgNAIAIgACACaikDACENIA1C/4H8h/CfwP8Ag0IIhiANQgiIQv+B/Ifwn8D/AIOEIQ0gDUL//4OA8P8/g0IQhiANQhCIQv//g4Dw/z+DhEIgiTcDgAUgAkEIaiICQYABSQ0ACwNAIAIgAkFwaikDgAUhDSANQhOKIA1CPYqFIA1CBoiFIAJBSGopA4AFfCACQYh/aikDgAUhDSANQgGKIA1CCIqFIA1CB4iFfCACQYB/aikDgAV8NwOABSACQQhqIgJBgAVJDQALQQApA4AKIQNBACkDiAohBEEAKQOQCiEFQQApA5gKIQZBACkDoAohB0EAKQOoCiEIQQApA7AKIQlBACkDuAohCkEAIQIDQCAKIAdCDoogB0ISioUgB0IpioV8IAcgCIMgB0J/hSAJg4V8IAIpAwB8IAIpA4AFfCELIANCHIogA0IiioUgA0InioUgAyAEgyADIAWDhSAEIAWDhXwhDCAJIQogCCEJIAchCCAGIAt8IQcgBSEGIAQhBSADIQQgCyAMfCEDIAJBCGoiAkGABUkNAAtBAEEAKQOACiADfDcDgApBAEEAKQOICiAEfDcDiApBAEEAKQOQCiAFfDcDkApBAEEAKQOYCiAGfDcDmApBAEEAKQOgCiAHfDcDoApBAEEAKQOoCiAIfDcDqApBAEEAKQOwCiAJfDcDsApBAEEAKQO4CiAKfDcDuAogAEGAAWohACABQX9qIQEMAAsLC7cEAgF/C34CQANAIAFFDQFBACECA0AgAiAAIAJqKQMAIQ0gDUL/gfyH8J/A/wCDQgiGIA1CCIhC/4H8h/CfwP8Ag4QhDSANQv//g4Dw/z+DQhCGIA1CEIhC//+DgPD/P4OEQiCJNwOABSACQQhqIgJBgAFJDQALA0AgAiACQXBqKQOABSENIA1CE4ogDUI9ioUgDUIGiIUgAkFIaikDgAV8IAJBiH9qKQOABSENIA1CAYogDUIIioUgDUIHiIV8IAJBgH9qKQOABXw3A4AFIAJBCGoiAkGABUkNAAtBACkDgAohA0EAKQOICiEEQQApA5AKIQVBACkDmAohBkEAKQOgCiEHQQApA6gKIQhBACkDsAohCUEAKQO4CiEKQQAhAgNAIAogB0IOiiAHQhKKhSAHQimKhXwgByAIgyAHQn+FIAmDhXwgAikDAHwgAikDgAV8IQsgA0IciiADQiKKhSADQieKhSADIASDIAMgBYOFIAQgBYOFfCEMIAkhCiAIIQkgByEIIAYgC3whByAFIQYgBCEFIAMhBCALIAx8IQMgAkEIaiICQYAFSQ0AC0EAQQApA4AKIAN8NwOACkEAQQApA4gKIAR8NwOICkEAQQApA5AKIAV8NwOQCkEAQQApA5gKIAZ8NwOYCkEAQQApA6AKIAd8NwOgCkEAQQApA6gKIAh8NwOoCkEAQQApA7AKIAl8NwOwCkEAQQApA7gKIAp8NwO4CiAAQYABaiEAIAFBf2ohAQwACwsLtwQCAX8LfgJAA0AgAUUNAUEAIQIDQCACIAAgAmopAwAhDSANQv+B/Ifwn8D/AINCCIYgDUIIiEL/gfyH8J/A/wCDhCENIA1C//+DgPD/P4NCEIYgDUIQiEL//4OA8P8/g4RCIIk3A4AFIAJBCGoiAkGAAUkNAAsDQCACIAJBcGopA4AFIQ0gDUITiiANQj2KhSANQgaIhSACQUhqKQOABXwgAkGIf2opA4AFIQ0gDUIBiiANQgiKhSANQgeIhXwgAkGAf2opA4AFfDcDgAUgAkEIaiICQYAFSQ0AC0EAKQOACiEDQQApA4gKIQRBACkDkAohBUEAKQOYCiEGQQApA6AKIQdBACkDqAohCEEAKQOwCiEJQQApA7gKIQpBACECA0AgCiAHQg6KIAdCEoqFIAdCKYqFfCAHIAiDIAdCf4UgCYOFfCACKQMAfCACKQOABXwhCyADQhyKIANCIoqFIANCJ4qFIAMgBIMgAyAFg4UgBCAFg4V8IQwgCSEKIAghCSAHIQggBiALfCEHIAUhBiAEIQUgAyEEIAsgDHwhAyACQQhqIgJBgAVJDQALQQBBACkDgAogA3w3A4AKQQBBACkDiAogBHw3A4gKQQBBACkDkAogBXw3A5AKQQBBACkDmAogBnw3A5gKQQBBACkDoAogB3w3A6AKQQBBACkDqAogCHw3A6gKQQBBACkDsAogCXw3A7AKQQBBACkDuAogCnw3A7gKIABBgAFqIQAgAUF/aiEBDAALCwu3BAIBfwt+AkADQCABRQ0BQQAhAgNAIAIgACACaikDACENIA1C/4H8h/CfwP8Ag0IIhiANQgiIQv+B/Ifwn8D/AIOEIQ0gDUL//4OA8P8/g0IQhiANQhCIQv//g4Dw/z+DhEIgiTcDgAUgAkEIaiICQYABSQ0ACwNAIAIgAkFwaikDgAUhDSANQhOKIA1CPYqFIA1CBoiFIAJBSGopA4AFfCACQYh/aikDgAUhDSANQgGKIA1CCIqFIA1CB4iFfCACQYB/aikDgAV8NwOABSACQQhqIgJBgAVJDQALQQApA4AKIQNBACkDiAohBEEAKQOQCiEFQQApA5gKIQZBACkDoAohB0EAKQOoCiEIQQApA7AKIQlBACkDuAohCkEAIQIDQCAKIAdCDoogB0ISioUgB0IpioV8IAcgCIMgB0J/hSAJg4V8IAIpAwB8IAIpA4AFfCELIANCHIogA0IiioUgA0InioUgAyAEgyADIAWDhSAEIAWDhXwhDCAJIQogCCEJIAchCCAGIAt8IQcgBSEGIAQhBSADIQQgCyAMfCEDIAJBCGoiAkGABUkNAAtBAEEAKQOACiADfDcDgApBAEEAKQOICiAEfDcDiApBAEEAKQOQCiAFfDcDkApBAEEAKQOYCiAGfDcDmApBAEEAKQOgCiAHfDcDoApBAEEAKQOoCiAIfDcDqApBAEEAKQOwCiAJfDcDsApBAEEAKQO4CiAKfDcDuAogAEGAAWohACABQX9qIQEMAAsLCwuHBQEAQQALgAUirijXmC+KQs1l7yORRDdxLztN7M/7wLW824mBpdu16Ti1SPNbwlY5GdAFtvER8VmbTxmvpII/khiBbdrVXhyrQgIDo5iqB9i+b3BFAVuDEoyy5E6+hTEk4rT/1cN9DFVviXvydF2+crGWFjv+sd6ANRLHJacG3JuUJmnPdPGbwdJK8Z7BaZvk4yVPOIZHvu+11YyLxp3BD2WcrHfMoQwkdQIrWW8s6S2D5KZuqoR0StT7Qb3cqbBctVMRg9qI+Xar32buUlE+mBAytC1txjGoPyH7mMgnA7DkDu++x39Zv8KPqD3zC+DGJacKk0eRp9VvggPgUWPKBnBuDgpnKSkU/C/SRoUKtycmySZcOCEbLu0qxFr8bSxN37OVnRMNOFPeY6+LVHMKZaiydzy7Cmp25q7tRy7JwoE7NYIUhSxykmQD8Uyh6L+iATBCvEtmGqiRl/jQcItLwjC+VAajUWzHGFLv1hnoktEQqWVVJAaZ1iogcVeFNQ70uNG7MnCgahDI0NK4FsGkGVOrQVEIbDcemeuO30x3SCeoSJvhtbywNGNaycWzDBw5y4pB40qq2E5z42N3T8qcW6O4stbzby5o/LLvXe6Cj3RgLxdDb2OleHKr8KEUeMiE7DlkGggCx4woHmMj+v++kOm9gt7rbFCkFXnGsvej+b4rU3Lj8nhxxpxhJurOPifKB8LAIce4htEe6+DN1n3a6njRbu5/T331um8Xcqpn8AammMiixX1jCq4N+b4EmD8RG0ccEzULcRuEfQQj9XfbKJMkx0B7q8oyvL7JFQq+njxMDRCcxGcdQ7ZCPsu+1MVMKn5l/Jwpf1ns+tY6q2/LXxdYR0qMGURs";

/** The initial hash value (FIPS 180-4 §5.3.5), big-endian words. */
const initial = Buffer.from("6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179", "hex");

const stateAt = 1280;
const blocksAt = 2048;
const maxBlocks = Math.floor((65536 - blocksAt) / 128);
/** ~2 KB: a copy is moved to V8's optimizing compiler once it has compressed about this much (scripts/sha512-wasm.mjs) */
const blocksPerCopy = 14;

// (tsconfig's libraries leave WebAssembly out: the two constructors used here)
declare const WebAssembly: undefined | {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

interface Engine {
  memory: Uint8Array;
  /** the module's copies of its one function, each used for its share of blocks in turn (scripts/sha512-wasm.mjs says why) */
  compress: ((ptr: number, blocks: number) => void)[];
  /** blocks compressed so far, by every hash: they pick the copy (blocksPerCopy each) */
  blocks: number;
}
let engine: Engine | undefined;

/** The one instance of the module, shared by every hash (each keeps its own state and loads it for each run). */
function compressor(): Engine {
  if (!engine) {
    const wasm = WebAssembly!;
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(moduleText, "base64")), {});
    const exports = instance.exports as Record<string, unknown> & { memory: { buffer: ArrayBuffer } };
    const compress = Object.keys(exports).filter((name) => name.startsWith("compress")).map((name) => exports[name] as (ptr: number, blocks: number) => void);
    engine = { memory: new Uint8Array(exports.memory.buffer), compress, blocks: 0 };
  }
  return engine;
}

/** What a hash is used through: node:crypto's Hash has the same two methods. */
export interface Sha512Hash {
  update(input: Uint8Array | string): unknown;
  digest(encoding: "base64" | "hex"): string;
}

/**
 * A SHA-512 hash: this module's, or node:crypto's where WebAssembly is not there (node --jitless) or
 * `native` asks for it.
 */
export async function createSha512(options: { native?: boolean } = {}): Promise<Sha512Hash> {
  if (!options.native && typeof WebAssembly !== "undefined") return new Sha512();
  const { createHash } = await import("node:crypto");
  return createHash("sha512");
}

export class Sha512 implements Sha512Hash {
  /** the eight state words as the module keeps them: little-endian */
  private readonly state = Buffer.alloc(64);
  /** bytes of an unfinished block */
  private readonly pending = Buffer.alloc(128);
  private pendingLength = 0;
  private length = 0;

  constructor() {
    swapWords(initial, this.state);
  }

  /** Adds bytes (a string as UTF-8, as node:crypto's update takes it). */
  update(input: Uint8Array | string): this {
    let data = typeof input === "string" ? Buffer.from(input, "utf8") : input;
    this.length += data.length;
    if (this.pendingLength > 0) {
      const take = Math.min(128 - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      data = data.subarray(take);
      if (this.pendingLength < 128) return this;
      this.run(this.pending, 1);
      this.pendingLength = 0;
    }
    const whole = data.length >> 7;
    for (let done = 0; done < whole; ) {
      const blocks = Math.min(maxBlocks, whole - done);
      this.run(data.subarray(done * 128, (done + blocks) * 128), blocks);
      done += blocks;
    }
    const rest = data.subarray(whole * 128);
    this.pending.set(rest, 0);
    this.pendingLength = rest.length;
    return this;
  }

  /** The hash of everything added, as base64 (then the object is spent). */
  digest(encoding: "base64" | "hex"): string {
    const tail = Buffer.alloc(this.pendingLength + 17 > 128 ? 256 : 128);
    tail.set(this.pending.subarray(0, this.pendingLength));
    tail[this.pendingLength] = 0x80;
    // the length in bits, 128 bits big-endian: what a Number holds fits the last 64
    tail.writeUInt32BE(Math.floor(this.length / 0x20000000), tail.length - 8);
    tail.writeUInt32BE((this.length * 8) >>> 0, tail.length - 4);
    this.run(tail, tail.length / 128);
    const out = Buffer.alloc(64);
    swapWords(this.state, out);
    return out.toString(encoding);
  }

  private run(blocks: Uint8Array, count: number): void {
    const engine = compressor();
    const { memory } = engine;
    memory.set(this.state, stateAt);
    memory.set(blocks.subarray(0, count * 128), blocksAt);
    // each copy takes its share of blocks before the next is used: a small hash compiles one copy, not all
    engine.compress[Math.floor(engine.blocks / blocksPerCopy) % engine.compress.length]!(blocksAt, count);
    engine.blocks += count;
    this.state.set(memory.subarray(stateAt, stateAt + 64));
  }
}

/** Eight 64-bit words from one byte order to the other. */
function swapWords(from: Uint8Array, to: Uint8Array): void {
  for (let i = 0; i < 64; i++) to[i] = from[(i & ~7) + 7 - (i & 7)]!;
}
