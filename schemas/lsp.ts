import { z } from "zod";
import { hasEntries, isCommandWithoutSpaces } from "./rules.js";

/** One LSP server (reference §10.3): a strict object. */
export const lspServerSchema = z
  .strictObject({
    command: z.string().min(1),
    extensionToLanguage: z
      .record(z.string().regex(/^\..+$/, 'extension keys start with "." and have at least one more character'), z.string().min(1))
      .refine(hasEntries, "extensionToLanguage needs at least one mapping"),
    args: z.array(z.string()).optional(),
    transport: z.enum(["stdio", "socket"]).default("stdio"),
    env: z.record(z.string(), z.string()).optional(),
    initializationOptions: z.unknown().optional(),
    settings: z.unknown().optional(),
    workspaceFolder: z.string().optional(),
    startupTimeout: z.number().int().positive().optional(),
    shutdownTimeout: z.number().int().positive().optional(),
    restartOnCrash: z.boolean().optional(),
    maxRestarts: z.number().int().min(0).optional(),
    diagnostics: z.boolean().default(true),
  })
  .refine(isCommandWithoutSpaces, {
    path: ["command"],
    message: "Command should not contain spaces. Use args array for arguments.",
  });
export type LspServer = z.infer<typeof lspServerSchema>;

/** .lsp.json is a direct map {name: config}. */
export const lspFileSchema = z.record(z.string().min(1), lspServerSchema);
export type LspFile = z.infer<typeof lspFileSchema>;
