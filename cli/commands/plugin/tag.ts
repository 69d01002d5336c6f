import type { CommandSpec } from "../../command-spec.js";
import type { TagResult } from "../../../installer/author/tag-plugin.js";

export const command: CommandSpec<TagResult> = {
  path: ["plugin", "tag"],
  args: ["[dir]"],
  description: "create the release tag {name}--v{version} for a plugin in its git repository",
  options: [
    { flags: "--push", description: "push the tag to origin" },
    { flags: "--dry-run", description: "check and show the tag, create nothing" },
    { flags: "-m, --message <text>", description: "tag message; %s is replaced by the version" },
  ],
  json: true,
  examples: ["agent plugin tag", "agent plugin tag plugins/formatter --push", "agent plugin tag --dry-run -m 'release %s'"],
  async run(ctx) {
    const [{ resolve }, { tagPlugin }] = await Promise.all([import("node:path"), import("../../../installer/author/tag-plugin.js")]);
    const o = ctx.options as { push?: boolean; dryRun?: boolean; message?: string };
    const result = await tagPlugin(resolve(ctx.cwd, String(ctx.args.dir ?? ".")), { push: Boolean(o.push), dryRun: Boolean(o.dryRun), message: o.message, env: ctx.env });
    return {
      data: result,
      text: (s) =>
        result.dryRun
          ? `Would tag ${result.commit.slice(0, 12)} as ${result.tag} ("${result.message}")${o.push ? " and push it to origin" : ""} ${s.dim("(dry run — nothing created)")}`
          : `${s.ok} Tagged ${result.commit.slice(0, 12)} as ${result.tag}${result.pushed ? " and pushed it to origin" : ""}`,
    };
  },
};
