import type { ChildProcess } from "node:child_process";
import { readFile } from "../../registry/files/async-fs.js";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { AgentError } from "../../schemas/errors.js";
import type { LspServer as LspServerConfig } from "../../schemas/lsp.js";
import { pluginProcessSpec } from "../plugin-env/plugin-process-spec-for.js";
import { stderrTail, stopPluginProcess } from "../plugin-env/stop-plugin-process.js";
import { substituteRecord, substituteVariables } from "../plugin-env/substitute-variables.js";
import { spawnPluginProcess } from "../sandbox/spawn-plugin-process.js";
import type { LoadedPlugin, SessionEnvironment } from "../session/loaded-plugin.js";
import { JsonRpcConnection } from "./json-rpc-connection.js";

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
}

export const requestTimeoutMs = 60_000;
const diagnosticsTimeoutMs = 30_000;
/** diagnostics often arrive in several publishes (syntax, then semantics); wait this long for quiet */
const diagnosticsSettleMs = 400;

/** One running language server of a plugin, with the documents it has been shown and their diagnostics. */
export class LspServer {
  private readonly documents = new Map<string, { version: number; text: string }>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly published = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly name: string,
    private readonly config: LspServerConfig,
    private readonly child: ChildProcess,
    readonly rpc: JsonRpcConnection,
  ) {
    rpc.onNotification("textDocument/publishDiagnostics", (params) => {
      const { uri, diagnostics } = params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(uri, diagnostics);
      this.published.set(uri, (this.published.get(uri) ?? 0) + 1);
      for (const wake of this.waiters) wake();
    });
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Starts the server in the plugin sandbox (workspace readable) and completes initialize/initialized. */
  static async start(plugin: LoadedPlugin, env: SessionEnvironment, name: string, config: LspServerConfig): Promise<LspServer> {
    const what = `LSP server "${name}"`;
    const sub = (text: string) => substituteVariables(text, plugin, env, { what });
    if (config.transport === "socket")
      throw new AgentError("E_UNSUPPORTED_SOURCE", `${plugin.id}: ${what} uses the socket transport, which agent does not support`, { hint: 'Use "transport": "stdio".', details: { plugin: plugin.id, server: name } });
    const child = await spawnPluginProcess(
      pluginProcessSpec(plugin, env, { command: sub(config.command), args: (config.args ?? []).map(sub), env: substituteRecord(config.env, plugin, env, { what }), minimumWorkspace: "read" }),
    );
    const stderr = stderrTail(child);
    const rpc = new JsonRpcConnection(child.stdout!, child.stdin!);
    child.once("exit", (code) => rpc.dispose(new Error(`${what} exited (code ${code})${stderr() ? `: ${stderr()}` : ""}`)));
    const server = new LspServer(name, config, child, rpc);
    const folder = config.workspaceFolder ? sub(config.workspaceFolder) : env.projectDir;
    const folderUri = pathToFileURL(folder).href;
    rpc.onRequest("workspace/configuration", (params) => ((params as { items?: unknown[] }).items ?? []).map(() => config.settings ?? null));
    rpc.onRequest("client/registerCapability", () => null);
    rpc.onRequest("client/unregisterCapability", () => null);
    rpc.onRequest("window/workDoneProgress/create", () => null);
    rpc.onRequest("workspace/workspaceFolders", () => [{ uri: folderUri, name: "workspace" }]);
    try {
      await rpc.request(
        "initialize",
        {
          processId: null, // the sandbox has its own pid namespace: a host pid would look dead to the server
          rootUri: folderUri,
          rootPath: folder,
          workspaceFolders: [{ uri: folderUri, name: "workspace" }],
          initializationOptions: config.initializationOptions ?? {},
          capabilities: {
            textDocument: {
              synchronization: { didSave: false, dynamicRegistration: false },
              hover: { contentFormat: ["markdown", "plaintext"] },
              definition: { linkSupport: true },
              publishDiagnostics: { relatedInformation: false },
            },
            workspace: { configuration: true, workspaceFolders: true },
          },
        },
        config.startupTimeout ?? requestTimeoutMs,
      );
    } catch (error) {
      await stopPluginProcess(child, 0);
      throw new AgentError("E_PLUGIN_PROCESS", `${plugin.id}: ${what} did not start: ${(error as Error).message}`, {
        hint: `Check that \`${config.command}\` is installed and on PATH (language servers are not shipped with plugins).`,
        details: { plugin: plugin.id, server: name, command: config.command },
      });
    }
    rpc.notify("initialized", {});
    if (config.settings !== undefined) rpc.notify("workspace/didChangeConfiguration", { settings: config.settings });
    return server;
  }

  /** Shows the server the file's current text (didOpen the first time, didChange after) and returns its URI. */
  async sync(file: string): Promise<string> {
    const uri = pathToFileURL(file).href;
    const text = await readFile(file, "utf8");
    const open = this.documents.get(uri);
    if (!open) {
      const languageId = this.config.extensionToLanguage[extname(file)] ?? "plaintext";
      this.documents.set(uri, { version: 1, text });
      this.published.set(uri, 0);
      this.rpc.notify("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    } else if (open.text !== text) {
      const version = open.version + 1;
      this.documents.set(uri, { version, text });
      this.published.set(uri, 0);
      this.rpc.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    return uri;
  }

  /** The diagnostics published for a synced file, once the server has published and gone quiet. */
  async diagnosticsFor(uri: string): Promise<Diagnostic[]> {
    const deadline = Date.now() + diagnosticsTimeoutMs;
    let seen = -1;
    while (Date.now() < deadline) {
      const count = this.published.get(uri) ?? 0;
      if (count > 0 && count === seen) break;
      seen = count;
      await this.nextPublish(count > 0 ? diagnosticsSettleMs : deadline - Date.now());
    }
    return this.diagnostics.get(uri) ?? [];
  }

  private nextPublish(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      await this.rpc.request("shutdown", null, this.config.shutdownTimeout ?? 3000).catch(() => {});
      this.rpc.notify("exit", null);
    }
    await stopPluginProcess(this.child, 1000);
  }
}
