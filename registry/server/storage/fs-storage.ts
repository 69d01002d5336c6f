import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat } from "../../files/async-fs.js";
import { join } from "node:path";
import semver from "semver";
import { AgentError } from "../../../schemas/errors.js";
import { appendLineDurable, createExclusive, writeFileAtomic } from "./atomic-file.js";
import { notOwner } from "./not-owner.js";
import { searchSummaries, summarize } from "./package-summary.js";
import type {
  AuditEntry,
  AuditQuery,
  PackageSummary,
  Packument,
  PublishInput,
  SearchQuery,
  SearchResult,
  Storage,
  StoredPackument,
  TokenRecord,
  UserRecord,
} from "./storage.js";

/**
 * The embedded store: one directory, no setup.
 *
 *   packages/<name>/packument.json    the packument (atomic rename)
 *   packages/<name>/owners.json       created O_EXCL by the first publish: the one publisher that owns it
 *   packages/<name>/tarballs/<file>   written and fsynced before the packument names it
 *   packages/<name>/published/<v>     O_EXCL marker: the one publish of name@v that won
 *   packages/<name>/tombstones/<v>    unpublished versions, kept forever
 *   users/<name>.json, tokens/<sha256>.json, audit.jsonl
 *
 * A publish is visible only once the packument rename lands, so kill -9 at any point leaves either
 * the whole version or none of it; `openFsStorage` clears markers whose packument never landed.
 * Read-modify-write of one packument is serialized per package within this process, so one server
 * process owns a data dir; several servers share PostgreSQL instead.
 */
/** Our own writes drop the cached packument at once; another process's writes show within this. */
const recheckMs = 1000;

export async function openFsStorage(dataDir: string): Promise<Storage> {
  await mkdir(join(dataDir, "packages"), { recursive: true });
  await mkdir(join(dataDir, "users"), { recursive: true });
  await mkdir(join(dataDir, "tokens"), { recursive: true });
  const storage = new FsStorage(dataDir);
  await storage.recover();
  return storage;
}

/**
 * The tarball a publish marker names. A marker a killed publish left empty or cut short (it died while
 * creating the marker, before writing any tarball) names none.
 */
async function markedTarball(markerPath: string): Promise<string | undefined> {
  try {
    const marker = JSON.parse(await readFile(markerPath, "utf8")) as { tarballFile?: unknown };
    return typeof marker.tarballFile === "string" && !marker.tarballFile.includes("/") ? marker.tarballFile : undefined;
  } catch {
    return undefined;
  }
}

class FsStorage implements Storage {
  readonly kind = "fs";
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly cache = new Map<string, { mtimeMs: number; size: number; checkedAt: number; stored: StoredPackument }>();

  constructor(private readonly dir: string) {}

  private pkgDir(name: string): string {
    return join(this.dir, "packages", name);
  }

  private packumentPath(name: string): string {
    return join(this.pkgDir(name), "packument.json");
  }

  private ownersPath(name: string): string {
    return join(this.pkgDir(name), "owners.json");
  }

  /**
   * Removes what a killed process left: temp files of unfinished atomic writes, and publish markers
   * (with their tarballs) and first-publish ownership claims whose packument never landed.
   */
  async recover(): Promise<void> {
    await Promise.all([join(this.dir, "users"), join(this.dir, "tokens")].map(removeTempFiles));
    for (const name of await this.packageNames()) {
      await Promise.all(["", "tarballs", "published", "tombstones"].map((sub) => removeTempFiles(join(this.pkgDir(name), sub))));
      const markers = await readdir(join(this.pkgDir(name), "published")).catch(() => [] as string[]);
      const stored = await this.getPackument(name);
      if (!stored) await rm(this.ownersPath(name), { force: true });
      for (const version of markers) {
        if (stored?.packument.versions[version]) continue;
        const tarballFile = await markedTarball(join(this.pkgDir(name), "published", version));
        if (tarballFile) await rm(join(this.pkgDir(name), "tarballs", tarballFile), { force: true });
        await rm(join(this.pkgDir(name), "published", version), { force: true });
      }
    }
  }

  private serialize<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return next;
  }

  async getPackument(name: string): Promise<StoredPackument | undefined> {
    const cached = this.cache.get(name);
    const now = Date.now();
    if (cached && now - cached.checkedAt < recheckMs) return cached.stored;
    const path = this.packumentPath(name);
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      cached.checkedAt = now;
      return cached.stored;
    }
    const text = await readFile(path, "utf8");
    const stored = { packument: JSON.parse(text) as Packument, rev: createHash("sha1").update(text).digest("hex").slice(0, 16) };
    this.cache.set(name, { mtimeMs: info.mtimeMs, size: info.size, checkedAt: now, stored });
    return stored;
  }

  private async mustGetPackument(name: string): Promise<Packument> {
    const stored = await this.getPackument(name);
    if (!stored) throw notFound(`Package ${name} does not exist`, { package: name });
    return structuredClone(stored.packument);
  }

  private async savePackument(packument: Packument): Promise<StoredPackument> {
    await writeFileAtomic(this.packumentPath(packument.name), JSON.stringify(packument));
    this.cache.delete(packument.name);
    return (await this.getPackument(packument.name))!;
  }

  async getTarball(name: string, tarballFile: string): Promise<Uint8Array | undefined> {
    const stored = await this.getPackument(name);
    const known = stored && Object.values(stored.packument.versions).some((v) => v.dist.tarball.endsWith(`/-/${tarballFile}`));
    if (!known) return undefined;
    return readFile(join(this.pkgDir(name), "tarballs", tarballFile)).catch(() => undefined);
  }

  async publishVersion(input: PublishInput): Promise<StoredPackument> {
    const { name, version } = input;
    return this.serialize(name, async () => {
      const existing = await this.getPackument(name);
      const claimed = await this.claimOrCheckOwnership(input, existing !== undefined);
      try {
        const tombstone = await stat(join(this.pkgDir(name), "tombstones", version)).catch(() => undefined);
        if (tombstone) throw conflict(`${name}@${version} was unpublished and can never be published again`, "tombstoned", { package: name, version });
        if (existing?.packument.versions[version]) throw versionExists(name, version);
        const marker = join(this.pkgDir(name), "published", version);
        if (!(await createExclusive(marker, JSON.stringify({ tarballFile: input.tarballFile, at: input.time })))) throw versionExists(name, version);
        try {
          await writeFileAtomic(join(this.pkgDir(name), "tarballs", input.tarballFile), input.tarball);
          const base = existing ? structuredClone(existing.packument) : emptyPackument(name, input.time);
          base.versions[version] = input.manifest;
          base["dist-tags"] = { ...base["dist-tags"], ...input.distTags };
          base.time = { ...base.time, modified: input.time, [version]: input.time };
          if (input.description !== undefined) base.description = input.description;
          if (input.readme !== undefined) base.readme = input.readme;
          if (input.keywords !== undefined) base.keywords = input.keywords;
          return await this.savePackument(base);
        } catch (error) {
          await rm(marker, { force: true });
          throw error;
        }
      } catch (error) {
        if (claimed) await rm(this.ownersPath(name), { force: true });
        throw error;
      }
    });
  }

  /**
   * A new package is claimed for its first publisher by creating owners.json with O_EXCL (true:
   * this publish claimed it). An existing package, or one another publish claimed first, takes only
   * publishes from its owners, or from an admin.
   */
  private async claimOrCheckOwnership(input: PublishInput, exists: boolean): Promise<boolean> {
    if (!exists && (await createExclusive(this.ownersPath(input.name), JSON.stringify([input.publisher])))) return true;
    if (input.publisherIsAdmin) return false;
    if (!(await this.getOwners(input.name)).includes(input.publisher)) throw notOwner(input.name, input.publisher);
    return false;
  }

  putDistTag(name: string, tag: string, version: string): Promise<void> {
    return this.serialize(name, async () => {
      const packument = await this.mustGetPackument(name);
      if (!packument.versions[version]) throw notFound(`${name}@${version} does not exist`, { package: name, version });
      packument["dist-tags"][tag] = version;
      packument.time.modified = new Date().toISOString();
      await this.savePackument(packument);
    });
  }

  removeDistTag(name: string, tag: string): Promise<void> {
    return this.serialize(name, async () => {
      const packument = await this.mustGetPackument(name);
      if (packument["dist-tags"][tag] === undefined) throw notFound(`${name} has no dist-tag ${tag}`, { package: name, tag });
      delete packument["dist-tags"][tag];
      packument.time.modified = new Date().toISOString();
      await this.savePackument(packument);
    });
  }

  setDeprecations(name: string, messages: Record<string, string>): Promise<void> {
    return this.serialize(name, async () => {
      const packument = await this.mustGetPackument(name);
      for (const [version, message] of Object.entries(messages)) {
        const manifest = packument.versions[version];
        if (!manifest) throw notFound(`${name}@${version} does not exist`, { package: name, version });
        if (message) manifest.deprecated = message;
        else delete manifest.deprecated;
      }
      packument.time.modified = new Date().toISOString();
      await this.savePackument(packument);
    });
  }

  unpublishVersion(name: string, version: string): Promise<void> {
    return this.serialize(name, async () => {
      const packument = await this.mustGetPackument(name);
      const manifest = packument.versions[version];
      if (!manifest) throw notFound(`${name}@${version} does not exist`, { package: name, version });
      await createExclusive(join(this.pkgDir(name), "tombstones", version), JSON.stringify({ at: new Date().toISOString() }));
      delete packument.versions[version];
      const remaining = Object.keys(packument.versions);
      for (const [tag, tagged] of Object.entries(packument["dist-tags"])) {
        if (tagged !== version) continue;
        if (tag === "latest" && remaining.length > 0) packument["dist-tags"].latest = newest(remaining);
        else delete packument["dist-tags"][tag];
      }
      packument.time.modified = new Date().toISOString();
      await this.savePackument(packument);
      const file = manifest.dist.tarball.slice(manifest.dist.tarball.lastIndexOf("/") + 1);
      await rm(join(this.pkgDir(name), "tarballs", file), { force: true });
    });
  }

  async listTombstones(name: string): Promise<string[]> {
    return (await readdir(join(this.pkgDir(name), "tombstones")).catch(() => [] as string[])).sort();
  }

  private async packageNames(): Promise<string[]> {
    const root = join(this.dir, "packages");
    const names: string[] = [];
    for (const entry of await readdir(root)) {
      if (entry.startsWith("@")) {
        for (const inner of await readdir(join(root, entry)).catch(() => [] as string[])) names.push(`${entry}/${inner}`);
      } else names.push(entry);
    }
    return names.sort();
  }

  async listPackages(): Promise<PackageSummary[]> {
    const summaries: PackageSummary[] = [];
    for (const name of await this.packageNames()) {
      const stored = await this.getPackument(name);
      if (!stored) continue;
      const summary = summarize(stored.packument, await this.getOwners(name));
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  async searchPackages(query: SearchQuery): Promise<SearchResult> {
    return searchSummaries(await this.listPackages(), query);
  }

  async getOwners(name: string): Promise<string[]> {
    const text = await readFile(this.ownersPath(name), "utf8").catch(() => undefined);
    return text ? (JSON.parse(text) as string[]) : [];
  }

  addOwner(name: string, user: string): Promise<void> {
    return this.serialize(name, async () => {
      await this.mustGetPackument(name);
      const owners = await this.getOwners(name);
      if (!owners.includes(user)) await writeFileAtomic(this.ownersPath(name), JSON.stringify([...owners, user]));
    });
  }

  removeOwner(name: string, user: string): Promise<void> {
    return this.serialize(name, async () => {
      const owners = await this.getOwners(name);
      if (!owners.includes(user)) throw notFound(`${user} is not an owner of ${name}`, { package: name, user });
      if (owners.length === 1) throw conflict(`${user} is the last owner of ${name}`, "last-owner", { package: name, user });
      await writeFileAtomic(this.ownersPath(name), JSON.stringify(owners.filter((o) => o !== user)));
    });
  }

  async createUser(user: UserRecord): Promise<void> {
    if (!(await createExclusive(join(this.dir, "users", `${user.name}.json`), JSON.stringify(user)))) {
      throw conflict(`User ${user.name} already exists`, "user-exists", { user: user.name });
    }
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const text = await readFile(join(this.dir, "users", `${name}.json`), "utf8").catch(() => undefined);
    return text ? (JSON.parse(text) as UserRecord) : undefined;
  }

  async createToken(token: TokenRecord): Promise<void> {
    await writeFileAtomic(join(this.dir, "tokens", `${token.hash}.json`), JSON.stringify(token));
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
    const text = await readFile(join(this.dir, "tokens", `${hash}.json`), "utf8").catch(() => undefined);
    return text ? (JSON.parse(text) as TokenRecord) : undefined;
  }

  async revokeToken(hash: string): Promise<boolean> {
    if (!(await this.findToken(hash))) return false;
    await rm(join(this.dir, "tokens", `${hash}.json`), { force: true });
    return true;
  }

  async listTokens(user?: string): Promise<TokenRecord[]> {
    const tokens: TokenRecord[] = [];
    for (const file of await readdir(join(this.dir, "tokens"))) {
      if (!file.endsWith(".json")) continue;
      const token = await this.findToken(file.slice(0, -5));
      if (token && (user === undefined || token.user === user)) tokens.push(token);
    }
    return tokens.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await appendLineDurable(join(this.dir, "audit.jsonl"), JSON.stringify(entry));
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const text = await readFile(join(this.dir, "audit.jsonl"), "utf8").catch(() => "");
    const entries = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as AuditEntry)
      .filter((entry) => query.package === undefined || entry.package === query.package);
    return query.limit === undefined ? entries : entries.slice(-query.limit);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }
}

async function removeTempFiles(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(entries.filter((entry) => entry.startsWith(".") && entry.endsWith(".tmp")).map((entry) => rm(join(dir, entry), { force: true })));
}

function emptyPackument(name: string, time: string): Packument {
  return { _id: name, name, "dist-tags": {}, versions: {}, time: { created: time, modified: time } };
}

function newest(versions: string[]): string {
  return semver.rsort([...versions])[0]!;
}

function versionExists(name: string, version: string): AgentError {
  return conflict(`${name}@${version} is already published; published versions are immutable`, "version-exists", { package: name, version });
}

const conflictHints: Record<string, string> = {
  "version-exists": "Bump the version and publish again.",
  tombstoned: "Bump the version and publish again.",
  "last-owner": "Add another owner first (npm owner add <user> <package>).",
  "user-exists": "Log in with `npm login` instead.",
};

function conflict(message: string, reason: string, details: Record<string, unknown>): AgentError {
  return new AgentError("E_CONFLICT", message, { hint: conflictHints[reason], details: { ...details, reason } });
}

function notFound(message: string, details: Record<string, unknown>): AgentError {
  return new AgentError("E_NOT_FOUND", message, { hint: "Check the package name and version.", details });
}
