import type { CommandSpec } from "../command-spec.js";

/**
 * Every command of the CLI, one line each. A spec module imports nothing heavy at load time,
 * so listing them all here costs little at start-up.
 */
export async function loadCommandSpecs(): Promise<CommandSpec[]> {
  const modules = await Promise.all([
    import("./plugin/validate.js"),
  ]);
  return modules.map((m) => m.command as CommandSpec);
}
