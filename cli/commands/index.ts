import type { CommandSpec } from "../command-spec.js";

/**
 * Every command of the CLI, one line each. A spec module imports nothing heavy at load time,
 * so listing them all here costs little at start-up.
 */
export async function loadCommandSpecs(): Promise<CommandSpec[]> {
  const modules = await Promise.all([
    import("./plugin/validate.js"),
    import("./plugin/schema.js"),
    import("./plugin/init.js"),
    import("./plugin/pack.js"),
    import("./plugin/publish.js"),
    import("./plugin/tag.js"),
    import("./plugin/bundle.js"),
    import("./login.js"),
    import("./plugin/install.js"),
    import("./plugin/list.js"),
    import("./plugin/uninstall.js"),
    import("./plugin/enable.js"),
    import("./plugin/disable.js"),
    import("./plugin/prune.js"),
    import("./plugin/update.js"),
    import("./plugin/details.js"),
    import("./plugin/why.js"),
    import("./marketplace/add.js"),
    import("./marketplace/list.js"),
    import("./marketplace/remove.js"),
    import("./marketplace/update.js"),
    import("./marketplace/login.js"),
    import("./run.js"),
    import("./registry/serve.js"),
    import("./registry/token-create.js"),
    import("./registry/audit.js"),
    import("./registry/export.js"),
    import("./doctor.js"),
  ]);
  return modules.map((m) => m.command as CommandSpec);
}
