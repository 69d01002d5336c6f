import type { Context } from "hono";
import type { PublishBody } from "../../../schemas/registry-api.js";
import { requireOwner, requireScope } from "../auth/access.js";
import { audit } from "../audit.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";
import { assertDistTag, assertVersion, tarballFileFor } from "../package-name.js";
import type { VersionManifest } from "../storage/storage.js";
import { inspectPluginTarball } from "./inspect-tarball.js";
import { verifyAttachment } from "./verify-attachment.js";

/**
 * `npm publish`: one new version with its tarball. Checks, in order: token and ownership, the body's
 * shape, the attachment's length and hashes, the tarball's entries and plugin manifest; only then
 * writes, all at once. A version that exists or was ever unpublished is 409. The ownership check up
 * front is for a fast, clear 403; the store checks it again inside its write, so a package another
 * user created meanwhile is refused the same way.
 */
export async function publishVersion(c: Context<RegistryEnv>, name: string, body: PublishBody): Promise<Response> {
  const { storage } = c.get("deps");
  const auth = (await storage.getPackument(name)) ? await requireOwner(c, name) : requireScope(c, "publish");
  if (body.name !== name) throw httpError(400, "E_USAGE", `The body names package ${body.name} but the URL names ${name}`, "Publish to the package's own URL.");
  const versions = Object.entries(body.versions);
  const attachments = Object.entries(body._attachments);
  if (versions.length !== 1 || attachments.length !== 1) {
    throw httpError(400, "E_USAGE", "A publish carries exactly one version and one tarball attachment", "Publish one version at a time with `npm publish`.");
  }
  const [version, sent] = versions[0]!;
  assertVersion(version);
  if (sent.name !== name || sent.version !== version) {
    throw httpError(400, "E_USAGE", `versions["${version}"] describes ${sent.name}@${sent.version}`, "Publish with `npm publish`; the body is inconsistent.");
  }
  const tarballFile = tarballFileFor(name, version);
  const [attachmentName, attachment] = attachments[0]!;
  if (attachmentName !== tarballFile && attachmentName !== `${name}-${version}.tgz`) {
    throw httpError(400, "E_USAGE", `The attachment is named ${attachmentName}; expected ${name}-${version}.tgz`, "Publish with `npm publish`.");
  }
  const distTags = Object.keys(body["dist-tags"]).length ? body["dist-tags"] : { latest: version };
  for (const [tag, tagged] of Object.entries(distTags)) {
    assertDistTag(tag);
    if (tagged !== version) throw httpError(400, "E_USAGE", `dist-tag ${tag} points at ${tagged}, not at the published ${version}`, "Tag other versions with `npm dist-tag add`.");
  }
  const tarball = verifyAttachment(attachment, sent.dist);
  const facts = await inspectPluginTarball(tarball);
  if (facts.packageJson.name !== name || facts.packageJson.version !== version) {
    throw httpError(400, "E_USAGE", `The tarball's package.json is ${String(facts.packageJson.name)}@${String(facts.packageJson.version)}, not ${name}@${version}`, "Pack and publish from the same directory.");
  }
  const time = new Date().toISOString();
  const { _attachments: _a, _id: _i, ...fields } = sent as Record<string, unknown>;
  const manifest: VersionManifest = {
    ...fields,
    name,
    version,
    _id: `${name}@${version}`,
    _npmUser: { name: auth.user },
    _plugin: facts.plugin,
    dist: { integrity: sent.dist.integrity, shasum: sent.dist.shasum, tarball: `${name}/-/${tarballFile}`, fileCount: facts.fileCount, unpackedSize: facts.unpackedSize },
  };
  const stored = await storage.publishVersion({
    name,
    version,
    manifest,
    tarballFile,
    tarball,
    distTags,
    ...(typeof sent.description === "string" ? { description: sent.description } : {}),
    ...(body.readme !== undefined ? { readme: body.readme } : {}),
    ...(Array.isArray(sent.keywords) ? { keywords: (sent.keywords as unknown[]).map(String) } : {}),
    publisher: auth.user,
    publisherIsAdmin: auth.scope === "admin",
    time,
  });
  await audit(c, auth.user, { action: "publish", package: name, version, detail: { integrity: sent.dist.integrity, distTags } });
  return c.json({ ok: true, id: name, rev: stored.rev }, 201);
}
