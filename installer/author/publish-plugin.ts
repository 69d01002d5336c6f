import { resolve } from "node:path";
import { validatePath } from "../../registry/validate/validate-path.js";
import { AgentError } from "../../schemas/errors.js";
import type { PublishBody } from "../../schemas/registry-api.js";
import { packPlugin, type PackedPlugin } from "./pack-plugin.js";
import { findRegistryToken, type TokenOrigin } from "./registry-credentials.js";
import { registryRequest } from "./registry-request.js";

export interface PublishOptions {
  registry: string;
  tag: string;
  dryRun: boolean;
  secretsFile: string;
  env: NodeJS.ProcessEnv;
}

export interface PublishResult {
  name: string;
  version: string;
  tag: string;
  registry: string;
  integrity: string;
  shasum: string;
  tarball: string;
  size: number;
  dryRun: boolean;
  /** validator warnings that did not block the publish */
  warnings: string[];
  tokenFrom: TokenOrigin | undefined;
}

/**
 * `agent plugin publish`: validate (errors refuse the publish, with the findings), pack
 * deterministically, then PUT the version to an npm-compatible registry the way `npm publish` does.
 */
export async function publishPlugin(dir: string, options: PublishOptions): Promise<PublishResult> {
  const root = resolve(dir);
  const report = validatePath(root);
  if (report.kind !== "plugin" || report.errors > 0) {
    const findings = report.findings.filter((f) => f.severity === "error");
    throw new AgentError("E_INVALID_MANIFEST", `${root} is not a valid plugin, so it was not published: ${findings.map((f) => `${f.path}: ${f.message}`).join("; ") || "no plugin manifest"}`, {
      hint: `agent plugin validate ${root}`,
      details: { dir: root, findings: report.findings },
    });
  }
  const packed = await packPlugin(root);
  const base = options.registry.replace(/\/?$/, "/");
  const tarball = new URL(`${packed.name}/-/${packed.name}-${packed.version}.tgz`, base).href;
  const credentials = await findRegistryToken(options.secretsFile, options.env, base);
  const result: PublishResult = {
    name: packed.name,
    version: packed.version,
    tag: options.tag,
    registry: base,
    integrity: packed.integrity,
    shasum: packed.shasum,
    tarball,
    size: packed.tarball.length,
    dryRun: options.dryRun,
    warnings: report.findings.filter((f) => f.severity === "warning").map((f) => `${f.path}: ${f.message}`),
    tokenFrom: credentials?.origin,
  };
  if (options.dryRun) return result;
  if (!credentials) {
    throw new AgentError("E_AUTH", `No token for ${base}`, { hint: `agent login --registry ${base}`, details: { registry: base } });
  }
  await registryRequest(new URL(packed.name.replace("/", "%2f"), base).href, {
    method: "PUT",
    token: credentials.token,
    body: publishBody(packed, options.tag, tarball),
    env: options.env,
    what: `publish ${packed.name}@${packed.version}`,
  });
  return result;
}

/** What `npm publish` sends: the version's manifest with dist, its dist-tag, and the tarball as base64. */
export function publishBody(packed: PackedPlugin, tag: string, tarball: string): PublishBody {
  const { name, version } = packed;
  const manifest = { ...packed.packageJson, _id: `${name}@${version}`, name, version, dist: { integrity: packed.integrity, shasum: packed.shasum, tarball } };
  return {
    _id: name,
    name,
    ...(typeof packed.packageJson.description === "string" ? { description: packed.packageJson.description } : {}),
    "dist-tags": { [tag]: version },
    versions: { [version]: manifest },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: "application/octet-stream", data: packed.tarball.toString("base64"), length: packed.tarball.length } },
  };
}
