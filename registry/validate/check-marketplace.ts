import { basename, dirname } from "node:path";
import { marketplaceEntryKeys, marketplaceEntrySchema, marketplaceKeys, marketplaceSchema } from "../../schemas/marketplace.js";
import { safeParseFast } from "../../schemas/fast-parse.js";
import { isReservedMarketplaceName } from "../../schemas/names.js";
import type { Finding } from "../../schemas/validation-report.js";
import { issuesToFindings } from "../plugin/issue-findings.js";
import { readJsonFile } from "../plugin/read-json-file.js";
import { jsonType } from "../plugin/read-plugin-manifest.js";
import { dependencyGraphFindings, type GraphNode } from "./check-dependency-graph.js";
import type { CheckWorkerPool } from "./check-listed-in-parallel.js";
import { checkListedPlugins, realPath, type ListedPlugin, type ListedPluginCheck } from "./check-listed-plugins.js";
import { isObject } from "./check-plugin-dir.js";
import { manifestFieldFindings } from "./manifest-field-findings.js";
import { renameFindings } from "./check-renames.js";
import { unknownFieldFindings } from "./unknown-fields.js";

/** The directory relative plugin sources resolve against: the one holding .claude-plugin/, else the file's own. */
export function marketplaceRootOf(file: string): string {
  const dir = dirname(file);
  return basename(dir) === ".claude-plugin" ? dirname(dir) : dir;
}

/** Every check on a marketplace.json: schema, names, duplicates, renames, listed local plugins, dependency graph. */
export function checkMarketplace(file: string): Finding[] {
  const checks = marketplaceChecks(file);
  let step = checks.next();
  while (!step.done) step = checks.next(checkListedPlugins(step.value.root, step.value.realRoot, step.value.listed));
  return step.value;
}

/** checkMarketplace with the listed plugins' directories checked on the pool's threads too (see CheckWorkerPool). */
export async function checkMarketplaceInParallel(file: string, pool: CheckWorkerPool): Promise<Finding[]> {
  const checks = marketplaceChecks(file);
  let step = checks.next();
  while (!step.done) step = checks.next(await pool.check(step.value.root, step.value.realRoot, step.value.listed));
  return step.value;
}

/** What a marketplace check asks its caller to check: the plugins it lists with relative sources. */
interface ListedRequest {
  root: string;
  realRoot: string | undefined;
  listed: ListedPlugin[];
}

/** The marketplace checks; they yield once for the listed plugins' directory checks, which the caller runs. */
function* marketplaceChecks(file: string): Generator<ListedRequest, Finding[], ListedPluginCheck[]> {
  const read = readJsonFile(file);
  if (!read.ok) return [{ severity: "error", code: read.code, path: "json", message: read.message, file }];
  const raw = read.value;
  if (!isObject(raw)) return [{ severity: "error", code: "type-invalid", path: "(root)", message: `marketplace.json must hold a JSON object, not ${jsonType(raw)}`, file }];
  const findings: Finding[] = [];
  const parsed = safeParseFast(marketplaceSchema, raw);
  if (!parsed.success) findings.push(...issuesToFindings(parsed.error.issues, { domain: "marketplace", file }));
  findings.push(...unknownFieldFindings(raw, marketplaceKeys, "", file));

  const name = typeof raw.name === "string" ? raw.name : undefined;
  if (name && isReservedMarketplaceName(name))
    findings.push({
      severity: "warning",
      code: "reserved-name",
      path: "name",
      message: `Marketplace name "${name}" is reserved for official Anthropic marketplaces: \`marketplace add\` (agent and Claude Code) refuses it unless the source is a GitHub/git repository of the 'anthropics' organization.`,
      hint: "Pick another name for your marketplace.",
    });
  if (raw.description === undefined && !(isObject(raw.metadata) && raw.metadata.description !== undefined))
    findings.push({ severity: "warning", code: "description-missing", path: "description", message: "No marketplace description provided. A description helps users decide whether to add it." });

  const plugins = Array.isArray(raw.plugins) ? raw.plugins : [];
  if (Array.isArray(raw.plugins) && plugins.length === 0) findings.push({ severity: "warning", code: "no-plugins", path: "plugins", message: "Marketplace has no plugins defined" });

  const names = plugins.map((p) => (isObject(p) && typeof p.name === "string" ? p.name : undefined));
  const counts = new Map<string, number>();
  for (const n of names) if (n !== undefined) counts.set(n, (counts.get(n) ?? 0) + 1);
  names.forEach((n, i) => {
    if (n !== undefined && counts.get(n)! > 1)
      findings.push({ severity: "error", code: "duplicate-plugin", path: `plugins[${i}].name`, message: `Duplicate plugin name "${n}" found in marketplace`, hint: "Plugin IDs are name@marketplace, so names must be unique." });
  });

  if (isObject(raw.renames)) {
    const valid = Object.fromEntries(Object.entries(raw.renames).filter(([, v]) => typeof v === "string" || v === null)) as Record<string, string | null>;
    findings.push(...renameFindings(valid, new Set(names.filter((n): n is string => n !== undefined))));
  }

  const root = marketplaceRootOf(file);
  const realRoot = realPath(root);
  const nodes: GraphNode[] = [];
  // findings in plugins[] order: each entry's own, then its plugin directory's (checked all together below)
  const perEntry: { findings: Finding[]; listed?: number; node?: GraphNode }[] = [];
  const listed: ListedPlugin[] = [];
  plugins.forEach((rawEntry, index) => {
    if (!isObject(rawEntry)) return;
    const own = [...unknownFieldFindings(rawEntry, marketplaceEntryKeys, `plugins[${index}].`, file), ...manifestFieldFindings(rawEntry, { prefix: `plugins[${index}].`, file, kind: "entry" })];
    // the whole-marketplace parse already parsed every entry when it succeeded
    const entry = parsed.success ? { success: true as const, data: parsed.data.plugins[index]! } : marketplaceEntrySchema.safeParse(rawEntry);
    if (!entry.success) return void perEntry.push({ findings: own });
    const node: GraphNode = { name: entry.data.name, index, deps: (entry.data.dependencies ?? []).map((spec, j) => ({ spec, path: `plugins[${index}].dependencies[${j}]` })) };
    nodes.push(node);
    if (typeof entry.data.source !== "string") return void perEntry.push({ findings: own });
    perEntry.push({ findings: own, listed: listed.length, node });
    listed.push({ index, entry: entry.data });
  });
  const checks = yield { root, realRoot, listed };
  for (const { findings: own, listed: at, node } of perEntry) {
    findings.push(...own);
    if (at === undefined || !node) continue;
    const check = checks[at]!;
    findings.push(...check.findings);
    check.manifestDependencies.forEach((spec, j) => node.deps.push({ spec, path: `plugins[${node.index}] plugin.json → dependencies[${j}]` }));
  }
  if (parsed.success || name) findings.push(...dependencyGraphFindings(name ?? "?", nodes, Array.isArray(raw.allowCrossMarketplaceDependenciesOn) ? raw.allowCrossMarketplaceDependenciesOn.filter((s): s is string => typeof s === "string") : []));
  return findings;
}
