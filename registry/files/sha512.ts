/**
 * SHA-512 (FIPS 180-4) without node:crypto: its compression function is a WebAssembly module of ~1 KB
 * (built by scripts/sha512-wasm.mjs), the padding and the feeding are here. What it is for: a command
 * that hashes a few plugin files (every install of a local plugin records their integrity) would
 * otherwise load node:crypto, and with it Node's stream modules, ~6 ms and ~240 pages of memory before
 * the first byte is hashed; the module compiles in ~1 ms. V8 compiles it with its baseline compiler first
 * (~175 MB/s here) and its optimizing one once a hash runs long (~420 MB/s; OpenSSL: ~900 MB/s).
 * test/installer/sha512.test.ts holds it equal to node:crypto's sha512.
 */
const moduleText = "AGFzbQEAAAABBgFgAn9/AAMCAQAFAwEAAQcVAgZtZW1vcnkCAAhjb21wcmVzcwAACroEAbcEAgF/C34CQANAIAFFDQFBACECA0AgAiAAIAJqKQMAIQ0gDUL/gfyH8J/A/wCDQgiGIA1CCIhC/4H8h/CfwP8Ag4QhDSANQv//g4Dw/z+DQhCGIA1CEIhC//+DgPD/P4OEQiCJNwOABSACQQhqIgJBgAFJDQALA0AgAiACQXBqKQOABSENIA1CE4ogDUI9ioUgDUIGiIUgAkFIaikDgAV8IAJBiH9qKQOABSENIA1CAYogDUIIioUgDUIHiIV8IAJBgH9qKQOABXw3A4AFIAJBCGoiAkGABUkNAAtBACkDgAohA0EAKQOICiEEQQApA5AKIQVBACkDmAohBkEAKQOgCiEHQQApA6gKIQhBACkDsAohCUEAKQO4CiEKQQAhAgNAIAogB0IOiiAHQhKKhSAHQimKhXwgByAIgyAHQn+FIAmDhXwgAikDAHwgAikDgAV8IQsgA0IciiADQiKKhSADQieKhSADIASDIAMgBYOFIAQgBYOFfCEMIAkhCiAIIQkgByEIIAYgC3whByAFIQYgBCEFIAMhBCALIAx8IQMgAkEIaiICQYAFSQ0AC0EAQQApA4AKIAN8NwOACkEAQQApA4gKIAR8NwOICkEAQQApA5AKIAV8NwOQCkEAQQApA5gKIAZ8NwOYCkEAQQApA6AKIAd8NwOgCkEAQQApA6gKIAh8NwOoCkEAQQApA7AKIAl8NwOwCkEAQQApA7gKIAp8NwO4CiAAQYABaiEAIAFBf2ohAQwACwsLC4cFAQBBAAuABSKuKNeYL4pCzWXvI5FEN3EvO03sz/vAtbzbiYGl27XpOLVI81vCVjkZ0AW28RHxWZtPGa+kgj+SGIFt2tVeHKtCAgOjmKoH2L5vcEUBW4MSjLLkTr6FMSTitP/Vw30MVW+Je/J0Xb5ysZYWO/6x3oA1Esclpwbcm5Qmac908ZvB0krxnsFpm+TjJU84hke+77XVjIvGncEPZZysd8yhDCR1AitZbyzpLYPkpm6qhHRK1PtBvdypsFy1UxGD2oj5dqvfZu5SUT6YEDK0LW3GMag/IfuYyCcDsOQO777Hf1m/wo+oPfML4MYlpwqTR5Gn1W+CA+BRY8oGcG4OCmcpKRT8L9JGhQq3JybJJlw4IRsu7SrEWvxtLE3fs5WdEw04U95jr4tUcwplqLJ3PLsKanbmru1HLsnCgTs1ghSFLHKSZAPxTKHov6IBMEK8S2YaqJGX+NBwi0vCML5UBqNRbMcYUu/WGeiS0RCpZVUkBpnWKiBxV4U1DvS40bsycKBqEMjQ0rgWwaQZU6tBUQhsNx6Z647fTHdIJ6hIm+G1vLA0Y1rJxbMMHDnLikHjSqrYTnPjY3dPypxbo7iy1vNvLmj8su9d7oKPdGAvF0NvY6V4cqvwoRR4yITsOWQaCALHjCgeYyP6/76Q6b2C3utsUKQVecay96P5vitTcuPyeHHGnGEm6s4+J8oHwsAhx7iG0R7r4M3WfdrqeNFu7n9PffW6bxdyqmfwBqaYyKLFfWMKrg35vgSYPxEbRxwTNQtxG4R9BCP1d9sokyTHQHuryjK8vskVCr6ePEwNEJzEZx1DtkI+y77UxUwqfmX8nCl/Wez61jqrb8tfF1hHSowZRGw=";

/** The initial hash value (FIPS 180-4 §5.3.5), big-endian words. */
const initial = Buffer.from("6a09e667f3bcc908bb67ae8584caa73b3c6ef372fe94f82ba54ff53a5f1d36f1510e527fade682d19b05688c2b3e6c1f1f83d9abfb41bd6b5be0cd19137e2179", "hex");

const stateAt = 1280;
const blocksAt = 2048;
const maxBlocks = Math.floor((65536 - blocksAt) / 128);

// (tsconfig's libraries leave WebAssembly out: the two constructors used here)
declare const WebAssembly: undefined | {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

interface Engine {
  memory: Uint8Array;
  compress(ptr: number, blocks: number): void;
}
let engine: Engine | undefined;

/** The one instance of the module, shared by every hash (each keeps its own state and loads it for each run). */
function compressor(): Engine {
  if (!engine) {
    const wasm = WebAssembly!;
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(moduleText, "base64")), {});
    const exports = instance.exports as { memory: { buffer: ArrayBuffer }; compress(ptr: number, blocks: number): void };
    engine = { memory: new Uint8Array(exports.memory.buffer), compress: exports.compress };
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
    const { memory, compress } = compressor();
    memory.set(this.state, stateAt);
    memory.set(blocks.subarray(0, count * 128), blocksAt);
    compress(blocksAt, count);
    this.state.set(memory.subarray(stateAt, stateAt + 64));
  }
}

/** Eight 64-bit words from one byte order to the other. */
function swapWords(from: Uint8Array, to: Uint8Array): void {
  for (let i = 0; i < 64; i++) to[i] = from[(i & ~7) + 7 - (i & 7)]!;
}
