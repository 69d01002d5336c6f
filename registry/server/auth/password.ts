import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString("hex")}$${hash.toString("hex")}`;
}

/** Takes the same time whether or not a stored hash exists, so responses do not reveal users. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [kind, saltHex, hashHex] = (stored ?? "scrypt$00000000000000000000000000000000$").split("$");
  const expected = Buffer.from(hashHex ?? "", "hex");
  const actual = await scryptAsync(password, Buffer.from(saltHex ?? "", "hex"), 32);
  return kind === "scrypt" && expected.length === actual.length && timingSafeEqual(expected, actual);
}
