import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pluginInventory, readPluginManifest } from "../../registry/plugin/index.js";
import type { LoadedPlugin, SessionEnvironment } from "../../host/session/loaded-plugin.js";

/** A LoadedPlugin read from a real plugin dir, the way the CLI builds one from install state. */
export function loadPlugin(root: string, dataDir: string, options: { marketplace?: string; config?: LoadedPlugin["config"] } = {}): LoadedPlugin {
  const read = readPluginManifest(root);
  if (read.status === "invalid") throw new Error(`bad test plugin ${root}: ${JSON.stringify(read.problems)}`);
  const manifest = read.status === "ok" ? read.manifest : undefined;
  const inventory = pluginInventory(root, manifest);
  const marketplace = options.marketplace ?? "test-market";
  const defaults = Object.fromEntries(
    Object.entries(manifest?.userConfig ?? {}).flatMap(([key, option]) => (option.default === undefined ? [] : [[key, option.default]])),
  );
  return {
    id: `${inventory.namespace}@${marketplace}`,
    name: inventory.namespace,
    marketplace,
    version: manifest?.version,
    root,
    dataDir,
    manifest,
    inventory,
    permissions: manifest?.permissions,
    config: { ...defaults, ...options.config },
  };
}

/** A temp area with a workspace, plugin dirs and data dirs; remove() deletes it all. */
export function makeArea(prefix: string) {
  const base = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const workspace = join(base, "workspace");
  mkdirSync(workspace, { recursive: true });
  const warnings: string[] = [];
  // test plugins run the MCP SDK and typescript-language-server from this checkout's node_modules, which a
  // clone under /tmp or a home dir would otherwise hide from the sandbox
  const env: SessionEnvironment = { projectDir: workspace, sandbox: "auto", hiddenPaths: [], readOnlyPaths: [join(process.cwd(), "node_modules")], onWarning: (m) => warnings.push(m) };
  return {
    base,
    workspace,
    env,
    warnings,
    dataDir: (name: string) => join(base, "data", name),
    /** writes files (path → content) under <base>/plugins/<name> and returns the root */
    plugin(name: string, files: Record<string, string>): string {
      const root = join(base, "plugins", name);
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), content, { mode: rel.endsWith(".sh") ? 0o755 : 0o644 });
      }
      return root;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
