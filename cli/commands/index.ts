import type { CommandSpec } from "../command-spec.js";

/** A command by its words, and the module of its spec (each its own chunk in the bundle). */
export interface CommandEntry {
  path: readonly string[];
  aliases?: readonly string[];
  load(): Promise<{ command: CommandSpec }>;
}

/**
 * Every command of the CLI, one line each, in the order help lists them. A plain command line loads the
 * one spec it names (cli/run-cli.ts); help and errors load them all. The words here are the specs' own
 * (test/cli/plain-argv.test.ts holds them to that).
 */
export const commandIndex: readonly CommandEntry[] = [
  { path: ["plugin", "validate"], load: () => import("./plugin/validate.js") },
  { path: ["plugin", "schema"], load: () => import("./plugin/schema.js") },
  { path: ["plugin", "init"], load: () => import("./plugin/init.js") },
  { path: ["plugin", "pack"], load: () => import("./plugin/pack.js") },
  { path: ["plugin", "publish"], load: () => import("./plugin/publish.js") },
  { path: ["plugin", "tag"], load: () => import("./plugin/tag.js") },
  { path: ["plugin", "bundle"], load: () => import("./plugin/bundle.js") },
  { path: ["login"], load: () => import("./login.js") },
  { path: ["plugin", "install"], aliases: ["i"], load: () => import("./plugin/install.js") },
  { path: ["plugin", "list"], aliases: ["ls"], load: () => import("./plugin/list.js") },
  { path: ["plugin", "uninstall"], aliases: ["remove", "rm"], load: () => import("./plugin/uninstall.js") },
  { path: ["plugin", "enable"], load: () => import("./plugin/enable.js") },
  { path: ["plugin", "disable"], load: () => import("./plugin/disable.js") },
  { path: ["plugin", "prune"], aliases: ["autoremove"], load: () => import("./plugin/prune.js") },
  { path: ["plugin", "update"], aliases: ["upgrade"], load: () => import("./plugin/update.js") },
  { path: ["plugin", "details"], aliases: ["info"], load: () => import("./plugin/details.js") },
  { path: ["plugin", "why"], load: () => import("./plugin/why.js") },
  { path: ["plugin", "marketplace", "add"], load: () => import("./marketplace/add.js") },
  { path: ["plugin", "marketplace", "list"], aliases: ["ls"], load: () => import("./marketplace/list.js") },
  { path: ["plugin", "marketplace", "remove"], aliases: ["rm"], load: () => import("./marketplace/remove.js") },
  { path: ["plugin", "marketplace", "update"], load: () => import("./marketplace/update.js") },
  { path: ["plugin", "marketplace", "login"], load: () => import("./marketplace/login.js") },
  { path: ["run"], load: () => import("./run.js") },
  { path: ["registry", "serve"], load: () => import("./registry/serve.js") },
  { path: ["registry", "token", "create"], load: () => import("./registry/token-create.js") },
  { path: ["registry", "audit"], load: () => import("./registry/audit.js") },
  { path: ["registry", "export"], load: () => import("./registry/export.js") },
  { path: ["doctor"], load: () => import("./doctor.js") },
];

/** Every command's spec. */
export async function loadCommandSpecs(entries: readonly CommandEntry[] = commandIndex): Promise<CommandSpec[]> {
  return (await Promise.all(entries.map((entry) => entry.load()))).map((m) => m.command);
}
