import type { CommandSpec } from "../../command-spec.js";

export const command: CommandSpec = {
  path: ["plugin", "install"],
  aliases: ["i"],
  args: ["[plugins...]"],
  description: "install plugins (name or name@marketplace) with their dependencies, atomically",
  options: [
    { flags: "-s, --scope <scope>", description: "where to install", choices: ["user", "project", "local"], default: "user" },
    { flags: "--config <key=value>", description: "set a userConfig option (repeatable)", repeatable: true },
    { flags: "--frozen", description: "install exactly what agent-lock.json records, or fail saying what differs" },
    { flags: "--dry-run", description: "resolve and fetch, but change nothing" },
    { flags: "-y, --yes", description: "accept the permissions the plugins ask for" },
  ],
  json: true,
  examples: [
    "agent plugin install starter@agent-builtin",
    "agent plugin install code-review --scope project",
    "agent plugin install cfg@corp --config retries=3 --config api_token=…",
    "agent plugin install ./my-plugin            # a local directory, as my-plugin@local",
    "agent plugin install owner/repo:plugins/fmt # a GitHub repo or a folder of one, as fmt@github",
    "agent plugin install ./plugins.tgz          # an offline bundle from agent plugin bundle",
  ],
  async run(ctx) {
    // what only some installs need (--config, a terminal) is loaded only for them
    const o = ctx.options as { scope: "user" | "project" | "local"; config?: string[]; frozen?: boolean; dryRun?: boolean; yes?: boolean };
    const onTerminal = !ctx.global.json && Boolean((ctx.stderr as NodeJS.WriteStream).isTTY);
    const [{ stateContext }, { packageRoot }, { installPlugins }, config, prompter, tty] = await Promise.all([
      import("../../../installer/state-context.js"),
      import("../../version.js"),
      import("../../../installer/install/install-plugins.js"),
      o.config?.length ? import("../../../installer/config/parse-config-flags.js") : undefined,
      ctx.interactive ? import("../../../installer/config/prompter.js") : undefined,
      onTerminal ? import("../../../installer/install/tty-progress.js") : undefined,
    ]);
    const state = stateContext({ home: ctx.global.home, claudeHome: ctx.global.claudeHome, env: ctx.env, cwd: ctx.cwd, packageRoot });
    const specs = (ctx.args.plugins as string[] | undefined) ?? [];
    if (specs.length) ctx.log(`Installing plugin${specs.length > 1 ? "s" : ""} ${specs.map((s) => `"${s}"`).join(", ")}...`);
    const progress = tty?.ttyProgress(ctx.stderr);
    const options = {
      scope: o.scope,
      config: config ? config.parseConfigFlags(o.config) : {},
      frozen: Boolean(o.frozen),
      dryRun: Boolean(o.dryRun),
      yes: Boolean(o.yes),
      prompt: prompter?.terminalPrompter(ctx.stdin, ctx.stderr),
      log: ctx.log,
      progress: progress?.report,
    };
    // one .tgz argument is an offline bundle made by `agent plugin bundle` (a suffix test: V8 compiles a
    // regular expression on first use, and this line runs on every install)
    const archive = specs.length === 1 ? specs[0]!.toLowerCase() : "";
    const bundle = archive.endsWith(".tgz") || archive.endsWith(".tar.gz") ? await import("../../../installer/bundle/install-bundle.js") : undefined;
    // a directory, owner/repo[:path] or git URL is listed in a one-entry marketplace of its own
    const direct = !bundle && specs.some((s) => s.includes("/") || s.startsWith(".")) ? await (await import("../../../installer/bundle/direct-plugins.js")).directPlugins(specs, ctx.cwd) : undefined;
    const plugins = direct ? { specs: direct.specs, directPlugins: direct.plugins } : { specs };
    const result = await (bundle ? bundle.installBundle(state, specs[0]!, options) : installPlugins(state, { ...plugins, ...options })).finally(() => progress?.finish());
    return {
      data: result,
      text: (s) => {
        const lines: string[] = [];
        const depNames = (ids: string[]) => ids.map((id) => id.slice(0, id.lastIndexOf("@"))).join(", ");
        const deps = result.dependencies.length ? ` (+ ${result.dependencies.length} ${result.dependencies.length === 1 ? "dependency" : "dependencies"}: ${depNames(result.dependencies)})` : "";
        const scope = `scope: ${result.scope}`;
        if (result.dryRun) {
          lines.push(`Would install at ${scope}:`);
          for (const p of result.plugins) lines.push(`  ${p.id} ${p.version}${p.auto ? " (dependency)" : ""}${p.status === "already-installed" ? " — already installed" : ""}`);
          lines.push("(dry run — nothing changed)");
          return lines.join("\n");
        }
        for (const id of result.requested) {
          if (result.alreadyInstalled.includes(id)) lines.push(`${s.ok} Plugin "${id}" is already installed (${scope})${deps}`);
          else lines.push(`${s.ok} Successfully installed plugin: ${id} (${scope})${deps}`);
          const p = result.plugins.find((x) => x.id === id);
          if (p && !p.enabled) lines.push(`This plugin is disabled by default — enable it with: agent plugin enable ${id}`);
        }
        for (const w of result.warnings) lines.push(`${s.warn} ${w}`);
        return lines.join("\n");
      },
    };
  },
};
