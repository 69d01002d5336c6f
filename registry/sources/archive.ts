import { createHash } from "node:crypto";
import { readdir, stat } from "../files/async-fs.js";
import { join } from "node:path";
import type { z } from "zod";
import { AgentError, redact } from "../../schemas/errors.js";
import type { archivePluginSourceSchema } from "../../schemas/plugin-source.js";
import { httpGet } from "./http-get.js";
import type { PluginSourceHandler } from "./source.js";

type ArchiveSource = z.infer<typeof archivePluginSourceSchema>;

const maxArchiveBytes = 256 * 1024 * 1024;
const loopback = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * A plugin packed as a .tgz at an https URL (plain http only on loopback), checked against `sha256`
 * when given, extracted safely (registry/archive/extract-tarball.ts) with the plugin
 * at the top or one directory down. Zip archives are not supported yet (E_UNSUPPORTED_SOURCE).
 */
export const archivePlugin: PluginSourceHandler<ArchiveSource> = {
  kind: "archive",
  async fetch(source, dest, ctx) {
    const url = new URL(source.url);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback.has(url.hostname))) {
      throw new AgentError("E_UNSUPPORTED_SOURCE", `Archive sources must use https: ${redact(source.url)}`, { details: { url: redact(source.url) } });
    }
    const body = await httpGet(source.url, ctx, { maxBytes: maxArchiveBytes, what: "archive" });
    const sha256 = createHash("sha256").update(body).digest("hex");
    if (source.sha256 && source.sha256 !== sha256) {
      throw new AgentError("E_INTEGRITY", `Archive ${redact(source.url)} has sha256 ${sha256}, expected ${source.sha256}`, {
        hint: "The file changed since the marketplace pinned it; ask the marketplace owner to update sha256.",
        details: { url: redact(source.url), expected: source.sha256, actual: sha256 },
      });
    }
    if (body[0] === 0x50 && body[1] === 0x4b) {
      throw new AgentError("E_UNSUPPORTED_SOURCE", `Archive ${redact(source.url)} is a zip file; agent supports .tgz archives only for now`, { details: { url: redact(source.url) } });
    }
    const { extractTarball } = await import("../archive/extract-tarball.js");
    await extractTarball(body, dest, { what: `archive ${redact(source.url)}`, env: ctx.env });
    return { dir: await pluginRootIn(dest), integrity: `sha256-${Buffer.from(sha256, "hex").toString("base64")}`, sourceVersion: sha256 };
  },
};

async function pluginRootIn(dir: string): Promise<string> {
  if (await stat(join(dir, ".claude-plugin")).catch(() => undefined)) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
  if (entries.length === 1 && entries[0]!.isDirectory()) return join(dir, entries[0]!.name);
  return dir;
}
