import { join } from "node:path";
import { catalogVersions } from "../../registry/marketplace/diff-marketplaces.js";
import { checkPolicy } from "../../registry/sources/policy.js";
import { AgentError } from "../../schemas/errors.js";
import type { KnownMarketplace } from "../../schemas/known-marketplaces.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";
import { isReservedMarketplaceName } from "../../schemas/names.js";
import type { EditableScope, ManagedSettings } from "../../schemas/settings.js";
import type { StateContext } from "../state-context.js";
import { loadKnownMarketplaces, loadManagedSettings, loadSettings, saveKnownMarketplaces, saveSettings, settingsFileFor } from "../state/state-files.js";
import { withStateLock } from "../state/state-lock.js";
import { marketplaceFetchContext } from "./marketplace-fetch-context.js";
import { stageMarketplace, type StagedMarketplace } from "./stage-marketplace.js";
import { isoTime } from "../state/iso-time.js";

export interface AddMarketplaceRequest {
  source: MarketplaceSource;
  scope: EditableScope;
  force: boolean;
  log(line: string): void;
  /** the fetch prefetchMarketplace already started for this source */
  staging?: Promise<StagedMarketplace> | undefined;
}

export interface AddMarketplaceResult {
  name: string;
  source: MarketplaceSource;
  installLocation: string;
  scope: EditableScope;
  settingsFile: string;
  commit?: string;
  plugins: number;
  /** the name was in use and --force replaced it */
  replaced: boolean;
}

/**
 * Adds a marketplace: policy first (before any I/O; a prefetch only starts when the same lists allow it
 * and is discarded when the full check refuses), then fetch into a temp path beside
 * plugins/marketplaces/<name>, parse, and only then, under the state lock, rename it into place and
 * record it in known_marketplaces.json and the scope's extraKnownMarketplaces. On any failure the
 * state is exactly as before.
 */
export async function addMarketplace(state: StateContext, request: AddMarketplaceRequest): Promise<AddMarketplaceResult> {
  const { paths } = state;
  let policy: ManagedSettings;
  try {
    policy = await loadManagedSettings(paths);
    checkPolicy(request.source, policy);
  } catch (error) {
    await request.staging?.then((staged) => staged.rollback(), () => {});
    throw error;
  }
  const staged = await (request.staging ?? stageMarketplace(request.source, paths.marketplacesDir, marketplaceFetchContext(paths, state.env, policy, request.log)));
  const name = staged.read.manifest.name;
  try {
    assertNameAllowed(name, request.source);
    return await withStateLock(paths.lockFile, async () => {
      const known = await loadKnownMarketplaces(paths);
      const replaced = known[name] !== undefined;
      if (replaced && !request.force) {
        throw new AgentError("E_ALREADY_EXISTS", `A marketplace named "${name}" is already added (from ${describe(known[name]!.source)})`, {
          hint: `Run \`agent plugin marketplace update ${name}\` to refresh it, or add again with --force to replace it.`,
          details: { name, existing: known[name]!.source, requested: request.source },
        });
      }
      const settingsFile = settingsFileFor(request.scope, paths, state.cwd, state.claudeLayout);
      const installLocation = await staged.commit(join(paths.marketplacesDir, name));
      try {
        const settings = await loadSettings(settingsFile);
        settings.extraKnownMarketplaces = { ...settings.extraKnownMarketplaces, [name]: { source: request.source } };
        await saveSettings(settingsFile, settings);
        const record: KnownMarketplace = {
          source: request.source,
          installLocation,
          lastUpdated: isoTime(),
          ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}),
          scope: request.scope,
          catalog: catalogVersions(staged.read.manifest),
        };
        await saveKnownMarketplaces(paths, { ...known, [name]: record });
      } catch (error) {
        await staged.rollback();
        throw error;
      }
      await staged.finish();
      return {
        name,
        source: request.source,
        installLocation,
        scope: request.scope,
        settingsFile,
        ...(staged.materialized.commit ? { commit: staged.materialized.commit } : {}),
        plugins: staged.read.manifest.plugins.length,
        replaced,
      };
    });
  } catch (error) {
    await staged.rollback();
    throw error;
  }
}

/** Reserved names (reference §3.2) belong to Anthropic: only github/git sources of the anthropics org may use them. */
function assertNameAllowed(name: string, source: MarketplaceSource): void {
  if (!isReservedMarketplaceName(name)) return;
  const official =
    (source.source === "github" && source.repo.toLowerCase().startsWith("anthropics/")) ||
    (source.source === "git" && /github\.com[/:]anthropics\//i.test(source.url));
  if (official) return;
  throw new AgentError("E_INVALID_MANIFEST", `The name '${name}' is reserved for official Anthropic marketplaces and can only be used with GitHub sources from the 'anthropics' organization.`, {
    hint: "Rename the marketplace (its `name` in marketplace.json).",
    details: { name, source },
  });
}

export function describe(source: MarketplaceSource): string {
  switch (source.source) {
    case "github":
      return `GitHub (${source.repo}${source.ref ? `@${source.ref}` : ""})`;
    case "git":
      return `Git (${source.url}${source.ref ? `#${source.ref}` : ""})`;
    case "url":
      return `URL (${source.url})`;
    case "npm":
      return `npm (${source.package})`;
    case "file":
      return `File (${source.path})`;
    case "directory":
      return `Directory (${source.path})`;
    case "settings":
      return `Settings (${source.name})`;
  }
}
