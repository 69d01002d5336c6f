import { createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { readFile } from "../../files/async-fs.js";
import { AgentError } from "../../../schemas/errors.js";

/** Reads an ed25519 private key (PEM) for signing the catalog. */
export async function readSigningKey(path: string): Promise<KeyObject> {
  const pem = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new AgentError("E_NOT_FOUND", `Cannot read signing key ${path}: ${error.code ?? error.message}`, { hint: "Create one with `openssl genpkey -algorithm ed25519 -out key.pem`.", details: { path } });
  });
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new AgentError("E_USAGE", `${path} is not a PEM private key`, { hint: "Create one with `openssl genpkey -algorithm ed25519 -out key.pem`.", details: { path } });
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new AgentError("E_USAGE", `${path} is a ${key.asymmetricKeyType} key; the catalog is signed with ed25519`, { hint: "Create one with `openssl genpkey -algorithm ed25519 -out key.pem`.", details: { path } });
  }
  return key;
}

/** base64 ed25519 signature over the exact bytes served. */
export function signCatalog(bytes: string | Uint8Array, key: KeyObject): string {
  return sign(null, typeof bytes === "string" ? Buffer.from(bytes) : bytes, key).toString("base64");
}

export function publicKeyPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
}
