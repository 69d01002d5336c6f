import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PublishInput } from "../../registry/server/storage/storage.js";
import type { FileTree } from "../support/git-server.js";
import { npmPack } from "../support/npm-registry.js";
import { requireTool } from "../support/real-parts.js";

/**
 * A Claude Code plugin as an npm package with one component of every kind, declared permissions,
 * userConfig and a dependency: what the catalog pages must show.
 */
export function richPluginFiles(packageName: string, version: string, pluginName = packageName.split("/").pop()!): FileTree {
  return {
    "package.json": JSON.stringify({ name: packageName, version, description: `${pluginName}: reviews pull requests`, keywords: ["review", "git"], license: "MIT" }),
    ".claude-plugin/plugin.json": JSON.stringify({
      name: pluginName,
      version,
      description: `${pluginName}: reviews pull requests`,
      dependencies: ["git-helpers", { name: "lint-kit", version: "^2.0.0" }],
      userConfig: {
        API_TOKEN: { type: "string", title: "Review API token", description: "Token for the review service", sensitive: true, required: true },
        MAX_FILES: { type: "number", title: "Largest diff", description: "Files per review", default: 50 },
      },
      permissions: { filesystem: { workspace: "read" }, network: { allow: ["api.review.test"] }, env: ["GIT_DIR"], secrets: ["API_TOKEN"] },
    }),
    "commands/review.md": "---\ndescription: Reviews the current diff\n---\nReview $ARGUMENTS\n",
    "agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews diffs line by line\n---\nYou review.\n",
    "skills/summarize/SKILL.md": "---\nname: summarize\ndescription: Summarizes a change set\n---\nSummarize.\n",
    "hooks/hooks.json": JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "${CLAUDE_PLUGIN_ROOT}/bin/check.sh" }] }] } }),
    "bin/check.sh": "#!/bin/sh\nexit 0\n",
    ".mcp.json": JSON.stringify({ mcpServers: { "review-index": { command: "node", args: ["server.js"] } } }),
    ".lsp.json": JSON.stringify({ "review-ls": { command: "review-language-server", args: ["--stdio"], extensionToLanguage: { ".diff": "diff" } } }),
  };
}

export interface PackedPlugin {
  dir: string;
  manifest: Record<string, unknown>;
  tarball: Buffer;
  tarballFile: string;
}

/** Writes the tree and packs it with real `npm pack`. */
export async function packPlugin(files: FileTree): Promise<PackedPlugin> {
  requireTool("npm");
  const dir = mkdtempSync(join(tmpdir(), "agent-web-plugin-"));
  const { manifest, tarball } = await npmPack(dir, files);
  return { dir, manifest, tarball, tarballFile: `${String(manifest.name).split("/").pop()}-${String(manifest.version)}.tgz` };
}

/** A storage-level publish of a packed plugin, as the registry's publish route would make it. */
export function publishInputOf(packed: PackedPlugin, publisher = "alice"): PublishInput {
  const name = String(packed.manifest.name);
  const version = String(packed.manifest.version);
  return {
    name,
    version,
    manifest: {
      ...packed.manifest,
      name,
      version,
      dist: {
        tarball: `${name}/-/${packed.tarballFile}`,
        integrity: "sha512-" + createHash("sha512").update(packed.tarball).digest("base64"),
        shasum: createHash("sha1").update(packed.tarball).digest("hex"),
      },
    },
    tarballFile: packed.tarballFile,
    tarball: packed.tarball,
    distTags: { latest: version },
    ...(typeof packed.manifest.description === "string" ? { description: packed.manifest.description } : {}),
    ...(Array.isArray(packed.manifest.keywords) ? { keywords: packed.manifest.keywords as string[] } : {}),
    publisher,
    publisherIsAdmin: false,
    time: new Date().toISOString(),
  };
}

/** The body `npm publish` sends: one version and the tarball as a base64 attachment. */
export function npmPublishBody(packed: PackedPlugin): { path: string; body: string } {
  const input = publishInputOf(packed);
  const body = {
    _id: input.name,
    name: input.name,
    description: input.description,
    "dist-tags": { latest: input.version },
    versions: { [input.version]: { ...input.manifest, _id: `${input.name}@${input.version}`, dist: { ...input.manifest.dist, tarball: `http://registry.invalid/${input.manifest.dist.tarball}` } } },
    _attachments: { [`${input.name}-${input.version}.tgz`]: { content_type: "application/octet-stream", data: packed.tarball.toString("base64"), length: packed.tarball.length } },
  };
  return { path: `/${input.name.replace("/", "%2f")}`, body: JSON.stringify(body) };
}
