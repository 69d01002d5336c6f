import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PluginInventory } from "../../registry/plugin/index.js";
import { isInside } from "../../host/sandbox/resolve-sandbox-paths.js";
import type { InstallRecord } from "../../schemas/installed-plugins.js";
import type { CatalogEntry } from "../../schemas/marketplace.js";
import type { PluginManifest } from "../../schemas/plugin-manifest.js";
import type { StatePaths } from "../../installer/state-paths.js";

/** What a session reads from one installed plugin's files. */
export interface LoadedFiles {
  manifest: PluginManifest | undefined;
  inventory: PluginInventory;
}

interface Entry extends LoadedFiles {
  key: string;
}

interface CacheFile {
  format: 1;
  /** by install dir */
  plugins: Record<string, Entry>;
}

const format = 1;

/**
 * A session's reading of installed plugins — each plugin.json and the inventory of its skills,
 * commands, agents, hooks and servers — remembered between sessions, so that starting a session with
 * many plugins does not read and parse every component file again. Only plugins in the version-keyed
 * cache are remembered: agent never writes into a cache dir after install, and a reinstall or an
 * update changes the install record, which is part of the key (with the marketplace entry, which can
 * declare components). The file lives in agent's own plugins state dir (also when agent manages a Claude
 * Code home: Claude Code's dir holds only files in its own shapes), hidden from every plugin sandbox,
 * never in a plugin's writable data dir. A missing, unreadable or stale file only costs a full read.
 */
export class PluginLoadCache {
  private readonly file: string;
  private entries: Record<string, Entry>;
  private changed = false;

  private constructor(
    private readonly paths: StatePaths,
    ownHome: string,
  ) {
    this.file = join(ownHome, "plugins", "plugin-load-cache.json");
    this.entries = readEntries(this.file);
  }

  /** The cache of the plugins installed under `paths`, kept in agent's own home. */
  static open(paths: StatePaths, ownHome: string): PluginLoadCache {
    return new PluginLoadCache(paths, ownHome);
  }

  /** The remembered files of a plugin, or what `read` returns (remembered for next time). */
  async files(record: InstallRecord, entry: CatalogEntry, read: () => Promise<LoadedFiles>): Promise<LoadedFiles> {
    if (!isInside(record.installPath, this.paths.cacheDir) || record.installPath === this.paths.cacheDir) return read();
    const key = keyOf(record, entry);
    const hit = this.entries[record.installPath];
    if (hit?.key === key && typeof hit.inventory === "object" && hit.inventory !== null) return { manifest: hit.manifest, inventory: hit.inventory };
    const files = await read();
    this.entries[record.installPath] = { key, ...files };
    this.changed = true;
    return files;
  }

  /** Writes what changed (write-temp + rename: readers see the old file or the new one); forgets plugins no longer installed. */
  save(): void {
    if (!this.changed) return;
    const plugins = Object.fromEntries(Object.entries(this.entries).filter(([dir]) => existsSync(dir)));
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(temp, JSON.stringify({ format, plugins } satisfies CacheFile));
      renameSync(temp, this.file);
    } catch {
      rmSync(temp, { force: true }); // a cache that cannot be written only costs the next session a full read
    }
  }
}

function keyOf(record: InstallRecord, entry: CatalogEntry): string {
  const installed = [record.installPath, record.version, record.gitCommitSha, record.integrity, record.installedAt, record.lastUpdated];
  return createHash("sha256").update(JSON.stringify([installed, entry])).digest("base64url");
}

function readEntries(file: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
    return parsed.format === format && parsed.plugins && typeof parsed.plugins === "object" ? parsed.plugins : {};
  } catch {
    return {};
  }
}
