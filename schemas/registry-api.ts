import { z } from "zod";

/** Request bodies of the private registry's npm protocol endpoints (registry/server/routes). */

export const distSchema = z.looseObject({
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/, "expected a sha512 SRI string"),
  shasum: z.string().regex(/^[0-9a-f]{40}$/, "expected a sha1 hex digest"),
  tarball: z.string().optional(),
});

export const publishedVersionSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().optional(),
  dist: distSchema,
});

export const attachmentSchema = z.looseObject({
  content_type: z.string().optional(),
  data: z.string().regex(/^[A-Za-z0-9+/]*=*$/, "expected base64 data"),
  length: z.number().int().nonnegative(),
});

/** `npm publish`: one new version and its tarball as the single attachment. */
export const publishBodySchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  readme: z.string().optional(),
  "dist-tags": z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), publishedVersionSchema),
  _attachments: z.record(z.string(), attachmentSchema),
});
export type PublishBody = z.infer<typeof publishBodySchema>;

/** A packument written back without attachments: `npm deprecate`, `npm owner`, `npm unpublish <v>`. */
export const packumentUpdateSchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string().optional(),
  versions: z.record(z.string(), z.looseObject({ deprecated: z.string().optional() })).optional(),
  maintainers: z.array(z.looseObject({ name: z.string().min(1), email: z.string().optional() })).optional(),
  "dist-tags": z.record(z.string(), z.string()).optional(),
});
export type PackumentUpdate = z.infer<typeof packumentUpdateSchema>;

/** `npm login` / `npm adduser`: PUT /-/user/org.couchdb.user:<name> */
export const userBodySchema = z.looseObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, "user names are letters, digits, '.', '_' or '-', at most 64"),
  password: z.string().min(1).max(1024),
  email: z.string().max(320).optional(),
});
export type UserBody = z.infer<typeof userBodySchema>;

/** `npm dist-tag add`: the body is the version as a JSON string. */
export const distTagBodySchema = z.string().min(1).max(256);
