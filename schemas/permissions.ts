import { z } from "zod";

/**
 * What a plugin's processes may touch: an optional extension key `permissions` in plugin.json (or the
 * marketplace entry). Claude Code ignores unknown keys, so declaring it keeps the plugin compatible.
 * Absent = the most restrictive profile: no workspace access, no network, no extra env, no secrets.
 */
export const networkPermissionSchema = z.union([
  z.enum(["none", "full"]),
  z.strictObject({ allow: z.array(z.string().regex(/^(\*\.)?[A-Za-z0-9.-]+$/, "expected a domain like api.example.com or *.example.com")).min(1) }),
]);
export type NetworkPermission = z.infer<typeof networkPermissionSchema>;

export const permissionsSchema = z.looseObject({
  filesystem: z
    .looseObject({
      workspace: z.enum(["none", "read", "write"]).default("none"),
    })
    .optional(),
  network: networkPermissionSchema.optional(),
  /** names of host environment variables passed through to the plugin's processes */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")).optional(),
  /** userConfig keys (sensitive ones included) the plugin's processes receive */
  secrets: z.array(z.string()).optional(),
});
export type Permissions = z.infer<typeof permissionsSchema>;
