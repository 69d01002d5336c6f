#!/usr/bin/env node
// Builds the WebAssembly module behind registry/files/sha512.ts: SHA-512's compression function (FIPS
// 180-4, §6.4.2) over whole 128-byte blocks, in 64-bit integer instructions. Run directly, it prints the
// module as base64, the text sha512.ts holds; test/installer/sha512.test.ts checks that text is this
// script's output and that the hash equals node:crypto's.
//
// Memory (one 64 KiB page): the 80 round constants K at 0 (a data segment), the message schedule W at
// 640, the hash state H at 1280 (eight words, little-endian in memory), the blocks from 2048. The exports
// compress0 … compress7, one function eight times over, each run the blocks at ptr through H: V8 moves a
// WebAssembly function from its baseline compiler to its optimizing one (a compile on another thread,
// ~100 pages of memory) once the function has run for a while, ~2 KB of hashing here; taken in turn, the
// copies defer that to ~16 KB, more than the installs of small plugins hash.
import { fileURLToPath } from "node:url";

const K = "428a2f98d728ae22 7137449123ef65cd b5c0fbcfec4d3b2f e9b5dba58189dbbc 3956c25bf348b538 59f111f1b605d019 923f82a4af194f9b ab1c5ed5da6d8118 d807aa98a3030242 12835b0145706fbe 243185be4ee4b28c 550c7dc3d5ffb4e2 72be5d74f27b896f 80deb1fe3b1696b1 9bdc06a725c71235 c19bf174cf692694 e49b69c19ef14ad2 efbe4786384f25e3 0fc19dc68b8cd5b5 240ca1cc77ac9c65 2de92c6f592b0275 4a7484aa6ea6e483 5cb0a9dcbd41fbd4 76f988da831153b5 983e5152ee66dfab a831c66d2db43210 b00327c898fb213f bf597fc7beef0ee4 c6e00bf33da88fc2 d5a79147930aa725 06ca6351e003826f 142929670a0e6e70 27b70a8546d22ffc 2e1b21385c26c926 4d2c6dfc5ac42aed 53380d139d95b3df 650a73548baf63de 766a0abb3c77b2a8 81c2c92e47edaee6 92722c851482353b a2bfe8a14cf10364 a81a664bbc423001 c24b8b70d0f89791 c76c51a30654be30 d192e819d6ef5218 d69906245565a910 f40e35855771202a 106aa07032bbd1b8 19a4c116b8d2d0c8 1e376c085141ab53 2748774cdf8eeb99 34b0bcb5e19b48a8 391c0cb3c5c95a63 4ed8aa4ae3418acb 5b9cca4f7763e373 682e6ff3d6b2b8a3 748f82ee5defb2fc 78a5636f43172f60 84c87814a1f0ab72 8cc702081a6439ec 90befffa23631e28 a4506cebde82bde9 bef9a3f7b2c67915 c67178f2e372532b ca273eceea26619c d186b8c721c0c207 eada7dd6cde0eb1e f57d4f7fee6ed178 06f067aa72176fba 0a637dc5a2c898a6 113f9804bef90dae 1b710b35131c471b 28db77f523047d84 32caab7b40c72493 3c9ebe0a15c9bebc 431d67c49c100d4c 4cc5d4becb3e42b6 597f299cfc657e2a 5fcb6fab3ad6faec 6c44198c4a475817".split(" ").map((hex) => BigInt(`0x${hex}`));
const uleb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const sleb64 = (v) => { v = BigInt.asIntN(64, v); const out = []; for (;;) { const b = Number(v & 0x7fn); v >>= 7n; if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); return out; } out.push(b | 0x80); } };
const sleb32 = (v) => sleb64(BigInt(v));
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const op = {
  get: (i) => [0x20, i], set: (i) => [0x21, i], tee: (i) => [0x22, i],
  i64: (v) => [0x42, ...sleb64(v)], i32: (v) => [0x41, ...sleb32(v)],
  add: [0x7c], and: [0x83], or: [0x84], xor: [0x85], shl: [0x86], shrU: [0x88], rotl: [0x89], rotr: [0x8a],
  i32add: [0x6a], i32eq: [0x46], i32ne: [0x47], i32ltU: [0x49],
  load: (off) => [0x29, 3, ...uleb(off)], store: (off) => [0x37, 3, ...uleb(off)],
  loop: [0x03, 0x40], block: [0x02, 0x40], end: [0x0b], brIf: (d) => [0x0d, d], br: (d) => [0x0c, d],
};
// params: 0 ptr(i32), 1 blocks(i32); locals: 2 t(i32), 3..10 a..h (i64), 11 t1, 12 t2, 13 x (i64)
const [P, N, T, A, B, C, D, E, F, G, H, T1, T2, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const bswap = [ // x on stack -> byte-swapped, uses local X
  ...op.set(X),
  ...op.get(X), ...op.i64(0x00ff00ff00ff00ffn), ...op.and, ...op.i64(8n), ...op.shl,
  ...op.get(X), ...op.i64(8n), ...op.shrU, ...op.i64(0x00ff00ff00ff00ffn), ...op.and, ...op.or,
  ...op.set(X),
  ...op.get(X), ...op.i64(0x0000ffff0000ffffn), ...op.and, ...op.i64(16n), ...op.shl,
  ...op.get(X), ...op.i64(16n), ...op.shrU, ...op.i64(0x0000ffff0000ffffn), ...op.and, ...op.or,
  ...op.i64(32n), ...op.rotl,
];
const rotrs = (local, a, b, c, shift) => [ // rotr(x,a) ^ rotr(x,b) ^ (shift ? x>>>c : rotr(x,c))
  ...op.get(local), ...op.i64(BigInt(a)), ...op.rotr,
  ...op.get(local), ...op.i64(BigInt(b)), ...op.rotr, ...op.xor,
  ...op.get(local), ...op.i64(BigInt(c)), ...(shift ? op.shrU : op.rotr), ...op.xor,
];
const wAt = (delta) => [...op.get(T), ...op.i32(delta * 8), ...op.i32add, ...op.load(640)]; // W[t + delta] (delta may be negative): address 640 + t*8 + delta*8, t kept as byte offset
const body = [
  ...op.block, ...op.loop,
  ...op.get(N), [0x45], ...op.brIf(1), // blocks == 0 -> exit
  // W[0..15] = bswap(load(ptr + t))
  ...op.i32(0), ...op.set(T),
  ...op.loop,
  ...op.get(T), // store address base (W at 640 + t)
  ...op.get(P), ...op.get(T), ...op.i32add, ...op.load(0), ...bswap,
  ...op.store(640),
  ...op.get(T), ...op.i32(8), ...op.i32add, ...op.tee(T), ...op.i32(128), ...op.i32ltU, ...op.brIf(0),
  ...op.end,
  // W[16..79]: t from 128 to 640 (byte offsets)
  ...op.loop,
  ...op.get(T),
  // σ1(W[t-2])
  ...wAt(-2), ...op.set(X), ...rotrs(X, 19, 61, 6, true),
  ...wAt(-7), ...op.add,
  ...wAt(-15), ...op.set(X), ...rotrs(X, 1, 8, 7, true), ...op.add,
  ...wAt(-16), ...op.add,
  ...op.store(640),
  ...op.get(T), ...op.i32(8), ...op.i32add, ...op.tee(T), ...op.i32(640), ...op.i32ltU, ...op.brIf(0),
  ...op.end,
  // a..h = H
  ...[A, B, C, D, E, F, G, H].flatMap((l, i) => [...op.i32(0), ...op.load(1280 + i * 8), ...op.set(l)]),
  ...op.i32(0), ...op.set(T),
  ...op.loop,
  // T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t]
  ...op.get(H), ...rotrs(E, 14, 18, 41, false), ...op.add,
  ...op.get(E), ...op.get(F), ...op.and, ...op.get(E), ...op.i64(-1n), ...op.xor, ...op.get(G), ...op.and, ...op.xor, ...op.add,
  ...op.get(T), ...op.load(0), ...op.add,
  ...op.get(T), ...op.load(640), ...op.add,
  ...op.set(T1),
  // T2 = Σ0(a) + Maj(a,b,c)
  ...rotrs(A, 28, 34, 39, false),
  ...op.get(A), ...op.get(B), ...op.and, ...op.get(A), ...op.get(C), ...op.and, ...op.xor, ...op.get(B), ...op.get(C), ...op.and, ...op.xor, ...op.add,
  ...op.set(T2),
  ...op.get(G), ...op.set(H), ...op.get(F), ...op.set(G), ...op.get(E), ...op.set(F),
  ...op.get(D), ...op.get(T1), ...op.add, ...op.set(E),
  ...op.get(C), ...op.set(D), ...op.get(B), ...op.set(C), ...op.get(A), ...op.set(B),
  ...op.get(T1), ...op.get(T2), ...op.add, ...op.set(A),
  ...op.get(T), ...op.i32(8), ...op.i32add, ...op.tee(T), ...op.i32(640), ...op.i32ltU, ...op.brIf(0),
  ...op.end,
  // H += a..h
  ...[A, B, C, D, E, F, G, H].flatMap((l, i) => [...op.i32(0), ...op.i32(0), ...op.load(1280 + i * 8), ...op.get(l), ...op.add, ...op.store(1280 + i * 8)]),
  ...op.get(P), ...op.i32(128), ...op.i32add, ...op.set(P),
  ...op.get(N), ...op.i32(-1), ...op.i32add, ...op.set(N),
  ...op.br(0),
  ...op.end, ...op.end,
  ...op.end,
];
const locals = vec([[1, 0x7f], [11, 0x7e]]); // 1 i32, 11 i64
const code = [...locals, ...body];
/** The copies of the function (see above). */
export const copies = 8;
const name = (text, kind, index) => [...vec([...text].map((c) => [c.charCodeAt(0)])), kind, index];
const kBytes = K.flatMap((k) => Array.from({ length: 8 }, (_, i) => Number((k >> BigInt(8 * i)) & 0xffn)));
const bytes = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f]]), ...vec([])]])), // type (i32,i32)->()
  ...section(3, vec(Array.from({ length: copies }, () => [0]))),
  ...section(5, vec([[0x00, 1]])), // memory min 1
  ...section(7, vec([name("memory", 0x02, 0), ...Array.from({ length: copies }, (_, i) => name(`compress${i}`, 0x00, i))])),
  ...section(10, vec(Array.from({ length: copies }, () => [...uleb(code.length), ...code]))),
  ...section(11, vec([[0x00, ...op.i32(0), ...op.end, ...vec(kBytes.map((b) => [b]))]])), // K at 0
];

/** The module's bytes. */
export const sha512Wasm = Uint8Array.from(bytes);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(Buffer.from(sha512Wasm).toString("base64"));
