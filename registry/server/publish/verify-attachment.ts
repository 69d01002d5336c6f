import { createHash } from "node:crypto";
import { httpError } from "../http-error.js";

/** Decodes a publish attachment and checks it against the version's declared length, sha512 and sha1. */
export function verifyAttachment(attachment: { data: string; length: number }, dist: { integrity: string; shasum: string }): Buffer {
  const bytes = Buffer.from(attachment.data, "base64");
  if (bytes.length !== attachment.length) {
    throw httpError(400, "E_INTEGRITY", `The attachment is ${bytes.length} bytes but declares length ${attachment.length}`, "Publish again; the upload was altered or truncated.");
  }
  const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  if (integrity !== dist.integrity) {
    throw httpError(400, "E_INTEGRITY", "The attachment's sha512 does not match dist.integrity", "Publish again; the upload was altered.", { expected: dist.integrity, actual: integrity });
  }
  const shasum = createHash("sha1").update(bytes).digest("hex");
  if (shasum !== dist.shasum) {
    throw httpError(400, "E_INTEGRITY", "The attachment's sha1 does not match dist.shasum", "Publish again; the upload was altered.", { expected: dist.shasum, actual: shasum });
  }
  return bytes;
}
