import type { InstallRecord, InstalledPlugins } from "../schemas/installed-plugins.js";
import type { KnownMarketplaces } from "../schemas/known-marketplaces.js";
import type { ManagedSettings, Scope, Settings } from "../schemas/settings.js";
import type { StateContext } from "./state-context.js";
import { loadInstalledPlugins, loadKnownMarketplaces, loadManagedSettings, loadSettings, sortKeys } from "./state/state-files.js";
import { commitFiles, type FileWrite } from "./state-transaction.js";

/**
 * The state files one command reads and changes, loaded under the lock and committed together
 * (state-transaction.ts). Only files that were touched are written.
 */
export class StateDraft {
  private readonly settingsByFile = new Map<string, Settings>();
  private readonly extraFiles = new Map<string, string | null>();
  private readonly dirty = new Set<string>();

  private constructor(
    readonly ctx: StateContext,
    readonly installed: InstalledPlugins,
    readonly known: KnownMarketplaces,
    readonly managed: ManagedSettings,
  ) {}

  static async load(ctx: StateContext): Promise<StateDraft> {
    const [installed, known, managed] = await Promise.all([loadInstalledPlugins(ctx.paths), loadKnownMarketplaces(ctx.paths), loadManagedSettings(ctx.paths)]);
    return new StateDraft(ctx, installed, known, managed);
  }

  async settings(file: string): Promise<Settings> {
    let settings = this.settingsByFile.get(file);
    if (!settings) {
      settings = await loadSettings(file);
      this.settingsByFile.set(file, settings);
    }
    return settings;
  }

  /** Marks settings or installed_plugins.json (pass its path) as changed. */
  touch(file: string): void {
    this.dirty.add(file);
  }

  /** Stages a whole file (e.g. a lockfile) to write in the same commit. */
  stageFile(path: string, content: string | null): void {
    this.extraFiles.set(path, content);
  }

  records(id: string): InstallRecord[] {
    return this.installed.plugins[id] ?? [];
  }

  /** The record of `id` at exactly this scope (and project). */
  recordAt(id: string, target: ScopeKey): InstallRecord | undefined {
    return this.records(id).find((r) => sameScope(r, target));
  }

  setRecord(id: string, record: InstallRecord): void {
    const rest = this.records(id).filter((r) => !sameScope(r, record));
    this.installed.plugins[id] = [...rest, record];
    this.touch(this.ctx.paths.installedPlugins);
  }

  removeRecord(id: string, target: ScopeKey): InstallRecord | undefined {
    const found = this.recordAt(id, target);
    if (!found) return undefined;
    const rest = this.records(id).filter((r) => !sameScope(r, target));
    if (rest.length) this.installed.plugins[id] = rest;
    else delete this.installed.plugins[id];
    this.touch(this.ctx.paths.installedPlugins);
    return found;
  }

  async commit(): Promise<void> {
    const writes: FileWrite[] = [];
    for (const file of this.dirty) {
      if (file === this.ctx.paths.installedPlugins) writes.push({ path: file, content: json({ version: 2, plugins: sortKeys(this.installed.plugins) }) });
      else writes.push({ path: file, content: json(this.settingsByFile.get(file) ?? {}) });
    }
    for (const [path, content] of this.extraFiles) writes.push({ path, content });
    await commitFiles(this.ctx.paths, writes);
    this.dirty.clear();
    this.extraFiles.clear();
  }
}

type ScopeKey = { scope: Scope; projectPath?: string | undefined };

export function sameScope(a: ScopeKey, b: ScopeKey): boolean {
  return a.scope === b.scope && (a.scope === "user" || a.scope === "managed" || a.projectPath === b.projectPath);
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
