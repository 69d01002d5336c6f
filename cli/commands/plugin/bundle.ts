import type { CommandSpec } from "../../command-spec.js";
import type { BundleManifest } from "../../../schemas/bundle.js";

export interface BundleReport {
  file: string;
  size: number;
  integrity: string;
  manifest: BundleManifest;
}

export const command: CommandSpec<BundleReport> = {
  path: ["plugin", "bundle"],
  args: ["<plugins...>"],
  description: "write an offline bundle of plugins with all their dependencies, for `agent plugin install <file>` without network",
  options: [{ flags: "-o, --output <file>", description: "where to write the bundle", default: "plugins.tgz" }],
  json: true,
  examples: ["agent plugin bundle code-review@corp -o plugins.tgz", "agent plugin install ./plugins.tgz   # on the offline machine"],
  async run(ctx) {
    const [{ resolve, dirname }, { mkdir, writeFile }, { stateContext }, { packageRoot }, { createBundle }] = await Promise.all([
      import("node:path"),
      import("../../../registry/files/async-fs.js"),
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/bundle/create-bundle.js"),
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const created = await createBundle(state, ctx.args.plugins as string[], ctx.log);
    const file = resolve(ctx.cwd, String(ctx.options.output));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, created.tarball);
    const report: BundleReport = { file, size: created.tarball.length, integrity: created.integrity, manifest: created.manifest };
    return {
      data: report,
      text: (s) =>
        [
          `${s.ok} Wrote ${file} (${report.size} bytes, ${report.manifest.plugins.length} plugins)`,
          ...report.manifest.plugins.map((p) => `  ${p.id} ${p.version}${p.root ? "" : " (dependency)"}  ${s.dim(p.integrity.slice(0, 27) + "…")}`),
          `  integrity: ${report.integrity}`,
        ].join("\n"),
    };
  },
};
