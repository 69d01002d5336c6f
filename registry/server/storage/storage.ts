/**
 * What the registry app needs from a store. Two implementations: the embedded filesystem store
 * (fs-storage.ts) and PostgreSQL (postgres-storage.ts, `openPostgresStorage(url)`).
 *
 * Contract every implementation keeps, without in-process locks (several server processes may
 * share one store):
 * - `publishVersion` is all-or-nothing and races safely: of two concurrent publishes of the same
 *   name@version exactly one resolves; the other rejects with AgentError("E_CONFLICT") and
 *   details.reason "version-exists". A tombstoned name@version rejects with reason "tombstoned".
 *   Publishes of different versions of one package never lose each other's versions or tags.
 * - `publishVersion` is the authority on ownership: inside the same atomic write, a publish to an
 *   existing package by a publisher who is not one of its owners (and not `publisherIsAdmin`)
 *   rejects with AgentError("E_PERMISSION_DENIED") and details.reason "not-owner", writing nothing.
 *   Of racing first publishes of one new name by different users, exactly one creates the package
 *   and owns it; the others are refused as non-owners.
 * - `createUser` rejects an existing name with E_CONFLICT, reason "user-exists".
 * - Missing packages/versions/tags in write calls reject with AgentError("E_NOT_FOUND").
 * - Tokens are stored only as their sha256 hex hash; the store never sees a raw token.
 * - Audit entries are append-only; `listAudit` returns them oldest first.
 * - Package names reaching the store are already validated (see ../package-name.ts).
 */

export type TokenScope = "read" | "publish" | "admin";

export interface VersionDist {
  /** Path relative to the registry root ("name/-/name-1.0.0.tgz"); the app turns it into a URL per request. */
  tarball: string;
  integrity: string;
  shasum: string;
  fileCount?: number;
  unpackedSize?: number;
}

/** One version document as npm sends it in a publish (package.json fields plus dist). */
export interface VersionManifest {
  name: string;
  version: string;
  dist: VersionDist;
  deprecated?: string;
  [field: string]: unknown;
}

export interface Packument {
  _id: string;
  name: string;
  description?: string;
  "dist-tags": Record<string, string>;
  versions: Record<string, VersionManifest>;
  /** "created", "modified", and one ISO time per version (kept for unpublished ones too) */
  time: Record<string, string>;
  readme?: string;
  keywords?: string[];
  license?: string;
  homepage?: string;
  repository?: unknown;
}

export interface StoredPackument {
  packument: Packument;
  /** Changes whenever the packument changes; the app uses it as ETag and cache key. */
  rev: string;
}

export interface PublishInput {
  name: string;
  version: string;
  manifest: VersionManifest;
  /** file name inside the package ("name-1.0.0.tgz", without scope) */
  tarballFile: string;
  tarball: Uint8Array;
  /** tags to point at this version in the same write, e.g. { latest: "1.0.0" } */
  distTags: Record<string, string>;
  /** package-level fields taken from this publish */
  description?: string;
  readme?: string;
  keywords?: string[];
  /** becomes the sole owner when the package does not exist yet; must be an owner when it does */
  publisher: string;
  /** the publisher's token has admin scope: may publish to a package it does not own */
  publisherIsAdmin: boolean;
  /** ISO time of the publish */
  time: string;
}

export interface PackageSummary {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  /** ISO time of the last change */
  modified: string;
  owners: string[];
}

export interface SearchQuery {
  text: string;
  size: number;
  from: number;
}

export interface SearchResult {
  total: number;
  packages: PackageSummary[];
}

export interface UserRecord {
  name: string;
  email?: string;
  /** "scrypt$<salt hex>$<hash hex>" */
  passwordHash: string;
  createdAt: string;
}

export interface TokenRecord {
  /** sha256 hex of the raw token */
  hash: string;
  user: string;
  scope: TokenScope;
  createdAt: string;
  /** first characters of the raw token, shown in listings */
  prefix: string;
  label?: string;
}

export type AuditAction =
  | "publish"
  | "unpublish"
  | "deprecate"
  | "dist-tag.add"
  | "dist-tag.rm"
  | "owner.add"
  | "owner.rm"
  | "user.create"
  | "token.create"
  | "token.revoke";

export interface AuditEntry {
  at: string;
  actor: string;
  action: AuditAction;
  package?: string;
  version?: string;
  ip?: string;
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  package?: string;
  /** newest N entries (still returned oldest first) */
  limit?: number;
}

export interface Storage {
  readonly kind: string;

  getPackument(name: string): Promise<StoredPackument | undefined>;
  getTarball(name: string, tarballFile: string): Promise<Uint8Array | undefined>;
  publishVersion(input: PublishInput): Promise<StoredPackument>;
  /** Points tag at version (which must exist). */
  putDistTag(name: string, tag: string, version: string): Promise<void>;
  removeDistTag(name: string, tag: string): Promise<void>;
  /** version → message; an empty message clears the deprecation. Versions must exist. */
  setDeprecations(name: string, messages: Record<string, string>): Promise<void>;
  /** Removes the version and its tarball, records a tombstone forever, moves tags off it. */
  unpublishVersion(name: string, version: string): Promise<void>;
  listTombstones(name: string): Promise<string[]>;

  listPackages(): Promise<PackageSummary[]>;
  /** Case-insensitive match on name, description and keywords; empty text lists everything. */
  searchPackages(query: SearchQuery): Promise<SearchResult>;

  getOwners(name: string): Promise<string[]>;
  addOwner(name: string, user: string): Promise<void>;
  /** Rejects with E_CONFLICT (reason "last-owner") when user is the only owner. */
  removeOwner(name: string, user: string): Promise<void>;

  createUser(user: UserRecord): Promise<void>;
  getUser(name: string): Promise<UserRecord | undefined>;

  createToken(token: TokenRecord): Promise<void>;
  findToken(hash: string): Promise<TokenRecord | undefined>;
  /** true when a token was removed */
  revokeToken(hash: string): Promise<boolean>;
  listTokens(user?: string): Promise<TokenRecord[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;

  close(): Promise<void>;
}

/** The module a `--database postgres://…` server imports: registry/server/storage/postgres-storage.js */
export type OpenPostgresStorage = (url: string) => Promise<Storage>;
