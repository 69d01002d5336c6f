import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFile } from "../files/async-fs.js";
import { resolve } from "node:path";
import { AgentError, redact } from "../../schemas/errors.js";
import { httpGet } from "./http-get.js";
import type { FetchContext } from "./source.js";

/**
 * `marketplace add <url> --pubkey <pem|file>`: an ed25519 public key (PEM text or a PEM file) as the
 * base64 SPKI DER the url source records in `pubkey`.
 */
export async function readCatalogPubkey(arg: string, cwd: string): Promise<string> {
  const pem = arg.includes("-----BEGIN") ? arg : await readFile(resolve(cwd, arg), "utf8").catch(() => {
    throw new AgentError("E_NOT_FOUND", `--pubkey ${arg} is neither a PEM key nor a readable file`, { hint: "Pass the registry's public key file, e.g. --pubkey catalog.pub.pem", details: { pubkey: arg } });
  });
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AgentError("E_USAGE", "--pubkey is not a PEM public key", { hint: "Export it with `openssl pkey -in key.pem -pubout -out key.pub.pem`.", details: {} });
  }
  if (key.asymmetricKeyType !== "ed25519") throw new AgentError("E_USAGE", `--pubkey is a ${key.asymmetricKeyType} key; catalogs are signed with ed25519`, { hint: "Use the registry's ed25519 public key.", details: {} });
  return key.export({ type: "spki", format: "der" }).toString("base64");
}

/** Fetches <url>.sig and checks it is the ed25519 signature of exactly `body`; E_INTEGRITY otherwise. */
export async function verifyCatalogSignature(url: string, body: Buffer, pubkey: string, ctx: FetchContext, headers: Record<string, string>): Promise<void> {
  const sigUrl = `${url.replace(/[?#].*$/, "")}.sig`;
  const signature = await httpGet(sigUrl, ctx, { headers: { ...headers, accept: "text/plain" }, maxBytes: 4096, what: "catalog signature" });
  const der = Buffer.from(pubkey, "base64");
  const key = der.length === 32 ? createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: der.toString("base64url") }, format: "jwk" }) : createPublicKey({ key: der, format: "der", type: "spki" });
  if (!verify(null, body, key, Buffer.from(signature.toString("utf8").trim(), "base64"))) {
    throw new AgentError("E_INTEGRITY", `The marketplace at ${redact(url)} does not match its signature`, {
      hint: "The catalog was altered or signed with another key; check --pubkey with the registry's owner.",
      details: { url: redact(url), signature: redact(sigUrl) },
    });
  }
}
