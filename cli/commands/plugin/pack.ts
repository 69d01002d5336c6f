import type { CommandSpec } from "../../command-spec.js";

export interface PackReport {
  name: string;
  version: string;
  file: string;
  size: number;
  integrity: string;
  shasum: string;
  files: string[];
  packageJsonGenerated: boolean;
  skipped: string[];
}

export const command: CommandSpec<PackReport> = {
  path: ["plugin", "pack"],
  args: ["[dir]"],
  description: "pack a plugin as a deterministic npm .tgz (same files, same sha512) and print its integrity",
  options: [{ flags: "-o, --output <file>", description: "where to write the .tgz (default: ./<name>-<version>.tgz)" }],
  json: true,
  examples: ["agent plugin pack", "agent plugin pack ./my-plugin -o dist/my-plugin.tgz"],
  async run(ctx) {
    const [{ resolve }, { writeFile, mkdir }, { dirname }, { packPlugin, tarballFileName }] = await Promise.all([
      import("node:path"),
      import("../../../registry/files/async-fs.js"),
      import("node:path"),
      import("../../../installer/author/pack-plugin.js"),
    ]);
    const dir = resolve(ctx.cwd, String(ctx.args.dir ?? "."));
    const output = ctx.options.output ? resolve(ctx.cwd, String(ctx.options.output)) : undefined;
    const packed = await packPlugin(dir, { exclude: output ? [output] : [] });
    const file = output ?? resolve(ctx.cwd, tarballFileName(packed.name, packed.version));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, packed.tarball);
    const report: PackReport = {
      name: packed.name,
      version: packed.version,
      file,
      size: packed.tarball.length,
      integrity: packed.integrity,
      shasum: packed.shasum,
      files: packed.files,
      packageJsonGenerated: packed.packageJsonGenerated,
      skipped: packed.skipped,
    };
    return {
      data: report,
      text: (s) =>
        [
          `${s.ok} Packed ${report.name}@${report.version}: ${report.files.length} files, ${report.size} bytes`,
          `  file:      ${report.file}`,
          `  integrity: ${report.integrity}`,
          `  shasum:    ${report.shasum}`,
          ...(report.packageJsonGenerated ? [s.dim("  package.json generated from plugin.json")] : []),
          ...report.skipped.map((p) => `${s.warn} skipped ${p} (not a regular file)`),
        ].join("\n"),
    };
  },
};
