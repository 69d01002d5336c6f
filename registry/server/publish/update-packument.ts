import type { Context } from "hono";
import type { PackumentUpdate } from "../../../schemas/registry-api.js";
import { requireOwner, requireScope } from "../auth/access.js";
import { audit } from "../audit.js";
import type { RegistryEnv } from "../context.js";
import { httpError } from "../http-error.js";

/**
 * A packument written back without attachments, as `npm deprecate`, `npm owner add/rm` and
 * `npm unpublish <name>@<version>` do: changed `deprecated` fields, a changed maintainer list, and
 * versions left out (unpublish, admin only) are applied; everything else in the body is ignored.
 */
export async function updatePackument(c: Context<RegistryEnv>, name: string, body: PackumentUpdate): Promise<Response> {
  const { storage } = c.get("deps");
  const stored = await storage.getPackument(name);
  if (!stored) throw httpError(404, "E_NOT_FOUND", `Package ${name} not found`, "Check the package name.");
  const auth = await requireOwner(c, name);
  const current = stored.packument.versions;

  if (body.maintainers) {
    const owners = await storage.getOwners(name);
    const wanted = [...new Set(body.maintainers.map((m) => m.name))];
    if (wanted.length === 0) throw httpError(400, "E_USAGE", `${name} must keep at least one owner`, "Add another owner before removing this one.");
    for (const user of wanted.filter((u) => !owners.includes(u))) {
      if (!(await storage.getUser(user))) throw httpError(404, "E_NOT_FOUND", `Cannot add ${user} as an owner`, "The user must exist on this registry; an admin can create it.");
      await storage.addOwner(name, user);
      await audit(c, auth.user, { action: "owner.add", package: name, detail: { user } });
    }
    for (const user of owners.filter((u) => !wanted.includes(u))) {
      await storage.removeOwner(name, user);
      await audit(c, auth.user, { action: "owner.rm", package: name, detail: { user } });
    }
  }

  if (body.versions) {
    const removed = Object.keys(current).filter((v) => !(v in body.versions!));
    if (removed.length > 0) {
      const admin = requireScope(c, "admin");
      for (const version of removed) {
        await storage.unpublishVersion(name, version);
        await audit(c, admin.user, { action: "unpublish", package: name, version });
      }
    }
    const deprecations: Record<string, string> = {};
    for (const [version, sent] of Object.entries(body.versions)) {
      if (!current[version]) continue;
      const message = sent.deprecated ?? "";
      if (message !== (current[version].deprecated ?? "")) deprecations[version] = message;
    }
    if (Object.keys(deprecations).length > 0) {
      await storage.setDeprecations(name, deprecations);
      for (const [version, message] of Object.entries(deprecations)) {
        await audit(c, auth.user, { action: "deprecate", package: name, version, detail: { message } });
      }
    }
  }
  return c.json({ ok: true, id: name }, 200);
}
