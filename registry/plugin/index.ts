/** Reading a plugin from disk: shared by the validator, the installer, the host and the registry catalog. */
export { readPluginManifest, parsePluginManifestFile, manifestCandidates, type ManifestRead } from "./read-plugin-manifest.js";
export { mergeMarketplaceEntry, componentKeys, type MergedPlugin } from "./merge-marketplace-entry.js";
export { pluginInventory, type PluginInventory, type InventoryOptions, type Agent, type Command, type OutputStyle, type Skill, type HookSet, type McpBundleRef, type Monitor, type NamedConfig } from "./plugin-inventory.js";
export { readJsonFile, readTextFile, type JsonFileRead, type TextFileRead } from "./read-json-file.js";
export { issuesToFindings, type IssueContext, type IssueDomain } from "./issue-findings.js";
