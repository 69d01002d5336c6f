import type { CommandSpec } from "../../command-spec.js";
import type { PublishResult } from "../../../installer/author/publish-plugin.js";

export const command: CommandSpec<PublishResult> = {
  path: ["plugin", "publish"],
  args: ["[dir]"],
  description: "validate, pack and publish a plugin to an npm-compatible registry",
  options: [
    { flags: "--registry <url>", description: "registry to publish to (default: registry= from ~/.npmrc)" },
    { flags: "--tag <tag>", description: "dist-tag to point at this version", default: "latest" },
    { flags: "--dry-run", description: "validate and pack, show what would be published, send nothing" },
  ],
  json: true,
  examples: ["agent plugin publish --registry http://127.0.0.1:4873/", "agent plugin publish ./my-plugin --tag next --dry-run"],
  async run(ctx) {
    const [{ resolve }, { resolveHome, statePaths }, { chooseRegistry }, { publishPlugin }] = await Promise.all([
      import("node:path"),
      import("../../../installer/state-paths.js"),
      import("../../../installer/author/registry-credentials.js"),
      import("../../../installer/author/publish-plugin.js"),
    ]);
    const o = ctx.options as { registry?: string; tag: string; dryRun?: boolean };
    const home = resolveHome({ ...(ctx.global.home ? { home: ctx.global.home } : {}), ...(ctx.global.claudeHome ? { claudeHome: ctx.global.claudeHome } : {}), env: ctx.env });
    const result = await publishPlugin(resolve(ctx.cwd, String(ctx.args.dir ?? ".")), {
      registry: chooseRegistry(o.registry, ctx.env),
      tag: o.tag,
      dryRun: Boolean(o.dryRun),
      secretsFile: statePaths(home, ctx.env).secretsFile,
      env: ctx.env,
    });
    return {
      data: result,
      text: (s) =>
        [
          ...result.warnings.map((w) => `${s.warn} ${w}`),
          result.dryRun
            ? `Would publish ${result.name}@${result.version} (${result.tag}) to ${result.registry} ${s.dim("(dry run — nothing sent)")}`
            : `${s.ok} Published ${result.name}@${result.version} (${result.tag}) to ${result.registry}`,
          `  integrity: ${result.integrity}`,
          `  tarball:   ${result.tarball}`,
        ].join("\n"),
    };
  },
};
